import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';

export function staffRequestRoutes(deps: AppDeps) {
  void deps;
  return new Hono<AppEnv>();
}
