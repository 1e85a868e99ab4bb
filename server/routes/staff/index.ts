/**
 * The staff back office at /espace-pro: the session is read for every page, then each
 * area mounts its own sub-app, guarded by role inside it.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';
import { staffArea } from '../../auth/guard';
import { staffAdminRoutes } from './admin';
import { staffAuthRoutes } from './auth';
import { staffHarvestRoutes } from './harvest';
import { staffRecordReportRoutes } from './record-reports';
import { staffRegisterRoutes } from './register';
import { staffRequestRoutes } from './requests';

export function staffRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('/espace-pro', staffArea(deps));
  app.use('/espace-pro/*', staffArea(deps));
  app.route('/', staffAuthRoutes(deps));
  app.route('/', staffRequestRoutes(deps));
  app.route('/', staffRegisterRoutes(deps));
  app.route('/', staffRecordReportRoutes(deps));
  app.route('/', staffAdminRoutes(deps));
  app.route('/', staffHarvestRoutes(deps));
  return app;
}
