// The process entry, `build/server/index.js` (scripts/build.mjs). It sets one V8 flag before the
// first module of the server loads, then imports the one bundle of server and app
// (`build/server/main.js`, remix.config.js); it holds no module of ours, so the process still has
// one copy of each (docs/decisions/0006).
//
// The young generation stays at its initial size while the modules load, the database migrates and
// the seed runs; the server lets it grow again once it listens (server/memory/young-generation.ts,
// docs/decisions/0118). Kept apart from that module so this file imports nothing of ours.
import v8 from "node:v8";

v8.setFlagsFromString("--semi-space-growth-factor=1");
await import(new URL("./main.js", import.meta.url).href);
