// `npm run db:seed`: migrates the database at DATABASE_PATH and seeds the demo desk into it unless
// it is there already (the server does the same on start when SEED_DEMO is on).
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { loadConfig } from "../server/config";
import { createLogger } from "../server/logger";
import { seedDemo } from "../server/seed/demo";

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const db = openDatabase(config.databasePath);
migrateDatabase(db);
const seeded = await seedDemo(db, logger);
db.$client.close();
console.log(seeded ? `seeded the demo desk into ${config.databasePath}` : `the demo desk is already in ${config.databasePath}`);
