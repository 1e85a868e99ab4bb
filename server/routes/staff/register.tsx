import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';

export function staffRegisterRoutes(deps: AppDeps) {
  void deps;
  return new Hono<AppEnv>();
}
