/**
 * Live progress between batches. The workflow's `progress` query counts a batch once it has ended,
 * and before that only what a long batch signalled (a few times per batch, paced to spare history:
 * domain/progress-signal.ts), but a running batch heartbeats its summary every few seconds. Adding
 * those summaries to the query's rows lets the CLI and the typed client move with every few
 * invocations, at no cost to the run. One rule against double counting: a batch counts with the
 * larger of its signalled count (listed in the row's `running`) and its heartbeat.
 */
import type { temporal } from '@temporalio/proto';
import type { LoadedDataConverter } from '@temporalio/common';
// The one module, not internal-non-workflow's index, which loads the protobuf definitions (slow CLI start-up).
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { invokeActivitySize } from '../domain/activity-ids.js';
import type { SizeSummary } from '../domain/sample-summary.js';
import { sketchCount, sketchMean } from '../domain/sketch.js';
import type { TuningProgress } from '../domain/types.js';

/** Workers from before the rows were renamed answer them as `powerValues`: read both. */
export function fromOlderWorkers(answer: TuningProgress): TuningProgress {
  const older = answer as TuningProgress & { powerValues?: TuningProgress['sizes'] };
  if (older.sizes) return answer;
  const { powerValues, ...rest } = older;
  return { ...rest, sizes: powerValues ?? [] };
}

/** What a running batch has done so far, by memory size. */
export interface InFlightBatch {
  power: number;
  /** Set for sizes set up on another architecture than the function's (see domain/activity-ids.ts). */
  architecture?: string;
  /** Its activity id, as the rows' `running` names it. */
  batch?: string;
  summary: SizeSummary;
}

/** The query's rows plus what running batches have done since; the query's value is unchanged. */
export function withInFlight(progress: TuningProgress, batches: InFlightBatch[]): TuningProgress {
  if (batches.length === 0) return progress;
  return {
    ...progress,
    sizes: progress.sizes.map((row) => {
      // A batch of the function's own architecture names none; its rows are the only ones of that size then.
      const running = batches.filter(
        (b) => b.power === row.power && (b.architecture === undefined || b.architecture === row.architecture),
      );
      if (running.length === 0) return row;
      let done = row.done;
      let errors = row.errors;
      const signalled = row.running ?? [];
      // The query's mean covers its finished batches only; weigh it by their measured count.
      const finishedMeasured = signalled.reduce((m, b) => m - (b.done - b.errors), row.done - row.errors);
      let measured = row.averageDuration === undefined ? 0 : finishedMeasured;
      let durationSum = row.averageDuration === undefined ? 0 : row.averageDuration * measured;
      for (const { batch, summary } of running) {
        // Already in the row as far as the batch signalled: add only what its heartbeat adds.
        const counted = signalled.find((b) => b.batch === batch);
        done += Math.max(0, summary.invocations - (counted?.done ?? 0));
        errors += Math.max(0, summary.errors - (counted?.errors ?? 0));
        const count = sketchCount(summary.durationMs);
        measured += count;
        durationSum += count > 0 ? sketchMean(summary.durationMs) * count : 0;
      }
      return {
        ...row,
        // A batch retried on another worker may report calls already counted: never past the total.
        done: Math.min(done, row.total),
        errors,
        ...(measured > 0 ? { averageDuration: durationSum / measured } : {}),
      };
    }),
  };
}

/** Running invocation batches and their last heartbeat, read from the run's description. */
export async function inFlightBatches(
  pending: temporal.api.workflow.v1.IPendingActivityInfo[] | null | undefined,
  converter: LoadedDataConverter,
): Promise<InFlightBatch[]> {
  const batches: InFlightBatch[] = [];
  for (const activity of pending ?? []) {
    const size = invokeActivitySize(activity.activityId ?? '');
    const payloads = activity.heartbeatDetails?.payloads;
    if (size === undefined || !payloads?.length) continue;
    try {
      const details = await decodeFromPayloadsAtIndex<{ summary?: SizeSummary }>(converter, 0, payloads);
      if (details?.summary)
        batches.push({ ...size, batch: activity.activityId ?? undefined, summary: details.summary });
    } catch {
      // Details this client cannot decode (another codec key): the query's rows still stand.
    }
  }
  return batches;
}
