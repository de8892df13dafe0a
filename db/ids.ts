import crypto from "node:crypto";

/** URL-safe random ids: 20 characters of base64url (120 bits). */
export function newId(): string {
  return crypto.randomBytes(15).toString("base64url");
}

/** What an id from newId (or the demo seed) looks like; checked before an id touches the database. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === "string" && ID_PATTERN.test(id);
}
