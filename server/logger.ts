/**
 * The single logger: one JSON line per event on stdout (errors on stderr). Callers pass
 * briefingId, userId and connId in `fields`; never document content or cookies.
 */
type Level = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(category: string, message: string, fields?: LogFields): void;
  info(category: string, message: string, fields?: LogFields): void;
  warn(category: string, message: string, fields?: LogFields): void;
  error(message: string, err?: unknown, fields?: LogFields): void;
}

export function getErrorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  return "Unknown error";
}

/**
 * A closed stdout or stderr (the reader of a pipe went away) emits EPIPE errors; unhandled, each
 * one is an uncaught exception that is logged to the same closed stream, and the process spins.
 * A stream that failed once is not written to again.
 */
const deadStreams = new WeakSet<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", () => deadStreams.add(stream));
}

export function createLogger(level: Level = "info"): Logger {
  const min = ORDER[level];
  const write = (lvl: Exclude<Level, "silent">, category: string, message: string, fields?: LogFields) => {
    if (ORDER[lvl] < min) return;
    const stream = lvl === "error" || lvl === "warn" ? process.stderr : process.stdout;
    if (deadStreams.has(stream)) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, category, message, ...fields });
    stream.write(line + "\n");
  };
  return {
    debug: (c, m, f) => write("debug", c, m, f),
    info: (c, m, f) => write("info", c, m, f),
    warn: (c, m, f) => write("warn", c, m, f),
    error: (m, err, f) =>
      write("error", "error", m, {
        ...f,
        error: err === undefined ? undefined : getErrorMessage(err),
        stack: err instanceof Error ? err.stack?.split("\n").slice(0, 6).join(" | ") : undefined,
      }),
  };
}
