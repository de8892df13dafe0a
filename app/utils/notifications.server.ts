/**
 * In-app notifications: `notify(db, userId, kind, payload)` records one for a user and tells their
 * open pages. The queries live in db/queries so the server's layers (approvals reset by an edit)
 * use the same function.
 */
export * from "../../db/queries/notifications";
