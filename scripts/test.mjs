// `npm test`: every test file in two phases (see vitest.config.ts). First the files that may share
// the cores, two at a time; then the `*.serial.test.ts` files, which measure the server against
// the same machine's idle figures, one at a time with nothing else of the suite running. Both
// phases always run; the exit code is non-zero if either failed. Arguments (a file, a filter) run
// that selection once, in one phase, as `vitest run` would.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const args = process.argv.slice(2);

function run(phase) {
  const env = { ...process.env };
  if (phase) env.TEST_PHASE = phase;
  else delete env.TEST_PHASE;
  const result = spawnSync(process.execPath, [vitest, "run", ...args], { stdio: "inherit", env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (args.length > 0) process.exit(run(null));
const parallel = run("parallel");
console.log(`\nSerial phase: the *.serial.test.ts files, one at a time (parallel phase ${parallel === 0 ? "passed" : "failed"}).\n`);
const serial = run("serial");
process.exit(parallel || serial);
