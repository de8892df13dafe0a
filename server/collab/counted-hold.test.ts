import { describe, expect, it } from "vitest";
import { CountedHold } from "./counted-hold";

describe("CountedHold", () => {
  it("is held until every hold is released, and tells its owner the state after each change", () => {
    const seen: boolean[] = [];
    const hold: CountedHold = new CountedHold(() => seen.push(hold.held));
    expect(hold.held).toBe(false);
    const a = hold.take();
    const b = hold.take();
    a();
    expect(hold.held).toBe(true);
    b();
    expect(hold.held).toBe(false);
    expect(seen).toEqual([true, true, true, false]);
  });

  it("a release called twice counts once: it cannot release someone else's hold", () => {
    let changes = 0;
    const hold = new CountedHold(() => changes++);
    const a = hold.take();
    hold.take();
    a();
    a();
    expect(hold.held).toBe(true);
    expect(changes).toBe(3);
  });
});
