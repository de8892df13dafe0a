// `npm run db:copy-to-postgres -- --from data/briefings.db --to postgres://user@host/db`: copies a
// SQLite database into an empty PostgreSQL one (migrating it first) and verifies the copy before
// committing it (db/pg/copy-from-sqlite.ts). Stop the server first. Exit codes: 0 copied, 2 the
// target is not empty, 64 bad arguments, 1 anything else (nothing committed).
import fs from "node:fs";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { copySqliteToPostgres, TargetNotEmptyError } from "../db/pg/copy-from-sqlite";

const USAGE = "usage: npm run db:copy-to-postgres -- --from <sqlite file> --to postgres://user:password@host:5432/database";

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let from: string | undefined;
let to: string | undefined;
try {
  ({ from, to } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" } }, strict: true }).values);
} catch (err) {
  fail(64, `${(err as Error).message}\n${USAGE}`);
}
if (!from || !to) fail(64, USAGE);
if (!/^postgres(ql)?:\/\//.test(to)) fail(64, `--to must be a postgres:// or postgresql:// URL\n${USAGE}`);
if (!fs.existsSync(from)) fail(64, `--from ${from}: no such file`);

/** The target without its password, for messages. */
const target = (() => {
  const u = new URL(to);
  u.password = "";
  return `${u.host}${u.pathname}`;
})();

const sqlite = new Database(from, { readonly: true, fileMustExist: true });
try {
  const started = Date.now();
  const report = await copySqliteToPostgres(sqlite, to, (name, rows) => process.stdout.write(`  ${name}: ${rows}\n`));
  const total = report.tables.reduce((n, t) => n + t.rows, 0);
  process.stdout.write(`copied ${total} rows in ${report.tables.length} tables and ${report.searchRows} search rows from ${from} to ${target} in ${Date.now() - started} ms; counts and checksums verified\n`);
} catch (err) {
  if (err instanceof TargetNotEmptyError) fail(2, `refused: ${err.message}`);
  fail(1, `copy failed, nothing was committed to ${target}: ${(err as Error).message}`);
} finally {
  sqlite.close();
}
