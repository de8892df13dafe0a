import { describe, expect, it } from "vitest";
import { CLOSE } from "../../server/collab/close-codes";
import { problemFromClose } from "./connection-problems";

describe("close codes the editor reacts to", () => {
  it("stops on a damaged stored document, says so, and does not clear the device copy", () => {
    const { code, reason } = CLOSE.storedDocumentCorrupt;
    const problem = problemFromClose(code, reason);
    expect(problem).toMatchObject({ kind: "damaged", terminal: true });
    expect(problem!.message).toContain("damaged");
    // The editor's copy of the server's code stays in step with the server's list.
    expect(code).toBe(4510);
  });

  it("still reconnects after a failed load (4500)", () => {
    expect(problemFromClose(CLOSE.internalError.code, CLOSE.internalError.reason)).toBeNull();
  });

  it("offers a way out when the server refuses this device's changes themselves (4413, 4414, 4422)", () => {
    for (const spec of [CLOSE.messageTooLarge, CLOSE.documentTooLarge, CLOSE.missingDependencies]) {
      const problem = problemFromClose(spec.code, spec.reason);
      expect(problem).toMatchObject({ kind: "changes-refused", terminal: true });
      expect(problem!.message).toContain("Download your unsent changes");
    }
  });
});
