/** Messages between the orchestrator and a client process (scripts/bench/worker.ts). */
export interface WorkerRequest {
  id: number;
  cmd: string;
  args: unknown;
}

export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: string;
}
