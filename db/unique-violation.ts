/**
 * Whether a failed statement broke a unique constraint or primary key, on either dialect (ADR
 * 0111): SQLite's `SQLITE_CONSTRAINT_UNIQUE` or `SQLITE_CONSTRAINT_PRIMARYKEY` (message "UNIQUE
 * constraint failed: <table>.<column>") or PostgreSQL's SQLSTATE 23505 (with the constraint's name). Drizzle wraps the driver's error in
 * a DrizzleQueryError, so the chain of causes is searched.
 */
export interface UniqueTarget {
  /** SQLite: the `<table>.<column>` the message names. */
  sqlite: string;
  /** PostgreSQL: the constraint's name (drizzle's `.unique()` names it `<table>_<column>_unique`, a primary key `<table>_<columns>_pk`). */
  pg: string;
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

export function isUniqueViolation(err: unknown, target: UniqueTarget): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as DriverError).cause, depth++) {
    const { code, message, constraint } = e as DriverError;
    const sqliteUnique = code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
    if (sqliteUnique && typeof message === "string" && message.includes(target.sqlite)) return true;
    if (code === "23505" && constraint === target.pg) return true;
  }
  return false;
}
