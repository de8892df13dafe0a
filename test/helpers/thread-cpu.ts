import fs from "node:fs";

/**
 * CPU time (ms) a process's main thread, the one running its event loop, has used so far: the
 * scheduler's own count in nanoseconds (/proc/<pid>/task/<pid>/schedstat) where the kernel keeps
 * it, else utime+stime in clock ticks of 10 ms (USER_HZ 100). A bound of a few milliseconds per
 * operation needs the former: a handful of exports measured in 10 ms ticks is 0 or 10 ms each, and
 * the average of six moves by 1.7 ms with a single tick.
 */
export function mainThreadCpuMs(pid: number): number {
  const task = `/proc/${pid}/task/${pid}`;
  if (fs.existsSync(`${task}/schedstat`)) return Number(fs.readFileSync(`${task}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  const stat = fs.readFileSync(`${task}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

