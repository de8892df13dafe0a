// Tests open PostgreSQL pools directly (test/helpers/stores.ts, postgres.ts) with the synchronous
// openPgStore / openPostgres, which need the driver a server loads only on PostgreSQL
// (db/pg/driver.ts, docs/decisions/0124).
import { loadPgDriver } from "../../db/pg/driver";

await loadPgDriver();
