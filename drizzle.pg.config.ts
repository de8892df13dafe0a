import { defineConfig } from "drizzle-kit";

// PostgreSQL migrations (ADR 0111): `npx drizzle-kit generate --config drizzle.pg.config.ts`.
// Hand-written SQL (append-only audit triggers) goes in its own `--custom` migration here too.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/schema/index.ts",
  out: "./db/migrations-pg",
  strict: true,
});
