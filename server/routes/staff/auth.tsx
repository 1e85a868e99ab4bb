import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';

export function staffAuthRoutes(deps: AppDeps) {
  void deps;
  return new Hono<AppEnv>();
}
