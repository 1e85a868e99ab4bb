import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';

export function staffAdminRoutes(deps: AppDeps) {
  void deps;
  return new Hono<AppEnv>();
}
