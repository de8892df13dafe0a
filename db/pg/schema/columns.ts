import { bigint, customType, timestamp } from "drizzle-orm/pg-core";

/**
 * Column types shared by the PostgreSQL mirror of db/schema (ADR 0111 has the full mapping).
 * Every value round-trips exactly: SQLite's millisecond integers become `timestamptz(3)` (no
 * sub-millisecond part to lose), its buffers `bytea`, its JSON text `jsonb`.
 */

/** Yjs states, updates, state vectors and relative positions: raw bytes, read back as a Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

/** SQLite `integer` with `mode: "timestamp_ms"`: a Date, stored to the millisecond in UTC. */
export const ms = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/**
 * Integers that do not fit PostgreSQL's 32-bit `integer`: CRC-32 checksums are unsigned (up to
 * 4294967295) and update-log ids grow for the life of the database.
 */
export const int8 = (name: string) => bigint(name, { mode: "number" });
