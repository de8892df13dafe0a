/**
 * The app's door to the database layer. Route modules import queries from here (a `.server` file)
 * so the browser build never pulls in db/ or node builtins.
 */
export * from "../../db/queries";
export * from "../../db/schema";
export { isValidId } from "../../db/ids";
export { withTransaction, type Store } from "../../db/store";
export { hashPassword, verifyPassword } from "../../server/auth/password";
export { and, asc, desc, eq, sql } from "drizzle-orm";
