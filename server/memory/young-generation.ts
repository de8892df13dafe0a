import v8 from "node:v8";
import type { Logger } from "../logger";

/**
 * V8's young generation during start-up (docs/decisions/0118).
 *
 * Loading the modules, migrating and seeding allocate quickly and much of it survives, so V8 grows
 * the young generation to 16 MB per semi-space, and an idle server never allocates enough to make
 * V8 shrink it again: 15 MB of the idle server's RSS was young generation holding 3 MB. The
 * process entry (server/boot.ts, `build/server/index.js`) holds the growth factor at 1 before the
 * first module loads; `releaseYoungGeneration` gives V8 back its own factor once the server
 * listens, so live editing grows the young generation as before, when it needs it.
 */

/**
 * V8's default `--semi-space-growth-factor` (`node --v8-options`); server/boot.ts sets 1, which
 * keeps the semi-spaces at their initial size. V8 reads the factor each time it grows them.
 */
export const DEFAULT_SEMI_SPACE_GROWTH_FACTOR = 2;

export function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0;
}

/** Lets the young generation grow again (after start-up). */
export function releaseYoungGeneration(logger: Logger): void {
  v8.setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_SEMI_SPACE_GROWTH_FACTOR}`);
  logger.info("memory", "young generation released after start-up", { newSpaceMb: Math.round(newSpaceBytes() / 1048576) });
}
