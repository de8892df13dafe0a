import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

describe("COLLAB_ACCESS_READ_TIMEOUT_MS", () => {
  it("defaults to 5 s and takes whole milliseconds from 100 to 600000", () => {
    expect(loadConfig(env()).COLLAB_ACCESS_READ_TIMEOUT_MS).toBe(5000);
    expect(loadConfig(env({ COLLAB_ACCESS_READ_TIMEOUT_MS: "1500" })).COLLAB_ACCESS_READ_TIMEOUT_MS).toBe(1500);
  });

  it.each(["0", "99", "600001", "2.5", "soon"])("refuses %s, naming the variable", (value) => {
    expect(() => loadConfig(env({ COLLAB_ACCESS_READ_TIMEOUT_MS: value }))).toThrow(/COLLAB_ACCESS_READ_TIMEOUT_MS/);
  });
});
