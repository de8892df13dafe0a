/**
 * Holds that nest: `take()` adds one and returns its release, which removes it once however often
 * it is called. `changed` runs after every take and every first release, so the owner can pause or
 * resume what the holds are about (a socket, every socket of a room).
 */
export class CountedHold {
  private count = 0;

  constructor(private readonly changed: () => void) {}

  /** At least one hold is not yet released. */
  get held(): boolean {
    return this.count > 0;
  }

  take(): () => void {
    this.count++;
    this.changed();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
      this.changed();
    };
  }
}
