import { loadConfig } from "../server/config";
import { openDatabase } from "./client";
import { migrateDatabase } from "./migrate";

const config = loadConfig();
const db = openDatabase(config.databasePath);
migrateDatabase(db);
db.$client.close();
console.log(`migrated ${config.databasePath}`);
