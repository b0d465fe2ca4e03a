/**
 * How a power value's invocations are split into activities. Bigger batches mean fewer history
 * events (each batch costs a few events); smaller ones mean finer progress and less to redo.
 */
export interface Batch {
  start: number;
  count: number;
}

export interface BatchPolicy {
  parallel: boolean;
  concurrency: number;
  /** With a pause between runs, each invocation is its own activity and the pause a durable timer. */
  sleeping: boolean;
}

const MAX_SEQUENTIAL_BATCH = 100;
const MAX_PARALLEL_BATCH = 500;

export function batchSize(total: number, policy: BatchPolicy): number {
  if (policy.sleeping && !policy.parallel) return 1;
  if (policy.parallel) return Math.min(total, Math.max(MAX_PARALLEL_BATCH, policy.concurrency));
  // Aim for about ten batches, at least ten invocations each.
  return Math.min(total, Math.max(10, Math.min(MAX_SEQUENTIAL_BATCH, Math.ceil(total / 10))));
}

export function planBatches(total: number, policy: BatchPolicy): Batch[] {
  const size = batchSize(total, policy);
  const batches: Batch[] = [];
  for (let start = 0; start < total; start += size)
    batches.push({ start, count: Math.min(size, total - start) });
  return batches;
}
