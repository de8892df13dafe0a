/**
 * Awaits every promise, then rejects with the first rejection (in the order given), if any: one
 * failing piece of work must not stop or hide the others.
 */
export async function settleAll(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
