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

/**
 * Each batch costs a round trip through the server (about 50 ms on a local dev server, more on a
 * remote one) during which no invocation runs. Batches of at least 50 keep that near 2% even
 * for functions of 50 ms (measured by bench/, scenario 1); runs of 500 invocations or more still
 * report progress about ten times.
 */
const MIN_SEQUENTIAL_BATCH = 50;
const MAX_SEQUENTIAL_BATCH = 100;
const MAX_PARALLEL_BATCH = 500;

export function batchSize(total: number, policy: BatchPolicy): number {
  if (policy.sleeping && !policy.parallel) return 1;
  if (policy.parallel) return Math.min(total, Math.max(MAX_PARALLEL_BATCH, policy.concurrency));
  // Aim for about ten batches, within the bounds above.
  return Math.min(
    total,
    Math.max(MIN_SEQUENTIAL_BATCH, Math.min(MAX_SEQUENTIAL_BATCH, Math.ceil(total / 10))),
  );
}

export function planBatches(total: number, policy: BatchPolicy): Batch[] {
  return split(total, batchSize(total, policy));
}

/** `total` invocations in consecutive batches of `size` (the last one shorter). */
function split(total: number, size: number): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < total; start += size)
    batches.push({ start, count: Math.min(size, total - start) });
  return batches;
}

/**
 * The whole run's batches must fit far inside the server's history limits (51,200 events; each
 * batch costs about six): at most this many batches across all sizes.
 */
export const RUN_BATCH_BUDGET = 1000;
/** With a pause between runs, a batch spans about this much waiting (the activity sleeps). */
const SLEEPING_BATCH_MS = 10 * 60_000;

export interface RunBatchPolicy {
  parallel: boolean;
  concurrency: number;
  /** Pause between sequential invocations; the batch activity waits it out itself. */
  sleepMs: number;
  /** How many sizes share the budget. */
  sizes: number;
}

/** Batches of one size's run under the history budget (current workflow code). */
export function planRunBatches(total: number, policy: RunBatchPolicy): Batch[] {
  const usual = batchSize(total, {
    parallel: policy.parallel,
    concurrency: policy.concurrency,
    sleeping: false,
  });
  const paced =
    policy.sleepMs > 0 && !policy.parallel
      ? Math.min(usual, Math.max(1, Math.floor(SLEEPING_BATCH_MS / policy.sleepMs)))
      : usual;
  const perSize = Math.max(1, Math.floor(RUN_BATCH_BUDGET / Math.max(1, policy.sizes)));
  return split(total, Math.max(1, paced, Math.ceil(total / perSize)));
}
