/**
 * Live progress between batches. The workflow's `progress` query counts a batch only once it has
 * ended (learning more would cost history events), but a running batch heartbeats its summary
 * every few seconds. Adding those summaries to the query's rows lets the CLI and the typed client
 * move with every few invocations, at no cost to the run.
 */
import type { temporal } from '@temporalio/proto';
import type { LoadedDataConverter } from '@temporalio/common';
// The one module, not internal-non-workflow's index, which loads the protobuf definitions (slow CLI start-up).
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/codec-helpers.js';
import { invokeActivityPower } from '../domain/activity-ids.js';
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
  summary: SizeSummary;
}

/** The query's rows plus what running batches have done since; the query's value is unchanged. */
export function withInFlight(progress: TuningProgress, batches: InFlightBatch[]): TuningProgress {
  if (batches.length === 0) return progress;
  return {
    ...progress,
    sizes: progress.sizes.map((row) => {
      const running = batches.filter((b) => b.power === row.power);
      if (running.length === 0) return row;
      let done = row.done;
      let errors = row.errors;
      // The query's mean covers its finished batches; weigh it by their measured count.
      let measured = row.averageDuration === undefined ? 0 : row.done - row.errors;
      let durationSum = row.averageDuration === undefined ? 0 : row.averageDuration * measured;
      for (const { summary } of running) {
        done += summary.invocations;
        errors += summary.errors;
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
    const power = invokeActivityPower(activity.activityId ?? '');
    const payloads = activity.heartbeatDetails?.payloads;
    if (power === undefined || !payloads?.length) continue;
    try {
      const details = await decodeFromPayloadsAtIndex<{ summary?: SizeSummary }>(converter, 0, payloads);
      if (details?.summary) batches.push({ power, summary: details.summary });
    } catch {
      // Details this client cannot decode (another codec key): the query's rows still stand.
    }
  }
  return batches;
}
