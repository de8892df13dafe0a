/**
 * The PostgreSQL mirror of db/schema: the same tables, columns, keys and indexes (checked by
 * test/db/pg-schema-parity.test.ts), with the types ADR 0111 maps. Migrations are generated from
 * it into db/migrations-pg by `npx drizzle-kit generate --config drizzle.pg.config.ts`.
 */
export * from "./users";
export * from "./sessions";
export * from "./teams";
export * from "./briefings";
export * from "./document-states";
export * from "./blocks";
export * from "./comments";
export * from "./audit";
export * from "./history";
export * from "./suggestions";
export * from "./reviews";
export * from "./search";
