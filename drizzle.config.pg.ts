import { defineConfig } from 'drizzle-kit';

// The PostgreSQL engine's migrations (issue 16): `npx drizzle-kit generate --config drizzle.config.pg.ts`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/pg/schema.ts',
  out: './migrations-pg',
  strict: true,
});
