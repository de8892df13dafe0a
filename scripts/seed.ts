// `npm run db:seed`: migrates the database (DATABASE_URL's PostgreSQL, else the SQLite file at
// DATABASE_PATH) and seeds the demo desk into it unless it is there already (the server does the
// same on start when SEED_DEMO is on).
import { loadConfig } from "../server/config";
import { openServerDatabase } from "../server/database";
import { createLogger } from "../server/logger";
import { openDocumentStore } from "../server/persistence/document-stores";
import { seedDemo } from "../server/seed/demo";

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const database = await openServerDatabase(config, logger);
const seeded = await seedDemo(database.store, openDocumentStore(database.store), logger);
await database.close();
console.log(seeded ? `seeded the demo desk into ${database.label}` : `the demo desk is already in ${database.label}`);
