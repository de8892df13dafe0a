import type { Config } from "../config";

/** The New briefing form posts here (app/routes/teams.$teamId.new.ts), with a Word document or without. */
export const isImportPath = (path: string) => /^\/teams\/[^/]+\/new\/?$/.test(path);

/**
 * The New briefing form's body may hold a whole document: the file limit plus room for the form's other
 * fields, so a file just over IMPORT_MAX_BYTES reaches the action and gets its message on the form.
 */
export const importBodyLimit = (config: Pick<Config, "IMPORT_MAX_BYTES" | "HTTP_MAX_BODY_BYTES">) =>
  config.IMPORT_MAX_BYTES + config.HTTP_MAX_BODY_BYTES;
