import { loadConfig } from "../server/config";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";

const config = loadConfig();
const db = openDatabase(config.databasePath);
migrateDatabase(db);
db.$client.close();
console.log(`migrated ${config.databasePath}`);
