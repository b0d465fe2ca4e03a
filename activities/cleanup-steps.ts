/**
 * Cleanup that does not give up at the first error. Every step (one delete, one alias move, the
 * restore of `$LATEST`) is retried a few times with backoff; a step that still fails is written
 * down, the remaining steps run, and the activity then fails with a message listing exactly what
 * was left (aliases, versions, the lock and its saved version, `$LATEST`), so a person can act on it
 * and `powertune cleanup` can finish it.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { LOCK_ALIAS } from '../domain/naming.js';
import { errorName, isNotFound, isPermanent } from './aws/errors.js';
import { cleanupCommand } from './lock.js';
import { withRetries, type RetryOptions } from './aws/retry.js';

/**
 * Up to 5 tries over roughly 8 s at most (full jitter). The SDK client already retries throttling
 * and 5xx itself; these cover what it does not (an update still in progress, a version briefly
 * held), while the activity's own retries cover longer outages.
 */
export const CLEANUP_STEP_RETRY: RetryOptions = {
  attempts: 5,
  baseMs: 500,
  capMs: 4_000,
  // Missing things are handled by the caller (already gone); permissions and bad parameters do
  // not fix themselves.
  retryIf: (err) => !isNotFound(err) && !isPermanent(err) && !(err instanceof CancelledFailure),
};

/** What a cleanup could not remove or put back. */
export interface CleanupLeftovers {
  /** The tuning's own aliases still there. */
  aliases: string[];
  /** The tuning's own versions still there (the lock's saved version is `snapshot`). */
  versions: string[];
  /** `$LATEST` was not put back to these settings. */
  latest?: { memorySize?: number; description: string };
  /** `$LATEST` may not run on its original architecture: the saved version holding its code. */
  architecture?: string;
  /** The lock alias is still there, pointing at this version. */
  lock?: { version: string };
  /**
   * The saved version, holding the original settings, is still there (field name as in the
   * failure details already recorded).
   */
  snapshot?: string;
  /** What could not even be looked at, in words. */
  unchecked: string[];
}

export const noLeftovers = (): CleanupLeftovers => ({ aliases: [], versions: [], unchecked: [] });

export interface FailedStep {
  step: string;
  attempts: number;
  error: string;
  permanent: boolean;
}

export type StepOutcome<T> = { ok: true; value: T } | { ok: false };

export class CleanupSteps {
  readonly failed: FailedStep[] = [];

  constructor(private readonly retry: RetryOptions = CLEANUP_STEP_RETRY) {}

  /** True while every step so far has succeeded. */
  get ok(): boolean {
    return this.failed.length === 0;
  }

  /** Runs one step with retries; after its last try the failure is recorded, not thrown. */
  async run<T>(step: string, call: () => Promise<T>): Promise<StepOutcome<T>> {
    let attempts = 0;
    try {
      const value = await withRetries(() => {
        attempts++;
        return call();
      }, this.retry);
      return { ok: true, value };
    } catch (err) {
      // A cancelled activity stops here; its next attempt starts over.
      if (err instanceof CancelledFailure) throw err;
      const message = err instanceof Error ? err.message : String(err);
      this.failed.push({
        step,
        attempts,
        error: `${errorName(err)}: ${message}`,
        permanent: isPermanent(err),
      });
      return { ok: false };
    }
  }

  /**
   * The activity's failure: what is left and why. Not retryable when every failed step failed
   * for good (permissions, bad parameters): another attempt would fail the same way.
   */
  failure(functionLabel: string, left: CleanupLeftovers): ApplicationFailure {
    return ApplicationFailure.create({
      message: leftoversMessage(functionLabel, left, this.failed),
      type: 'CleanupIncomplete',
      nonRetryable: this.failed.length > 0 && this.failed.every((f) => f.permanent),
      details: [{ left, failed: this.failed }],
    });
  }
}

export function leftoversMessage(
  functionLabel: string,
  left: CleanupLeftovers,
  failed: FailedStep[],
): string {
  const parts: string[] = [];
  if (left.aliases.length > 0) parts.push(`aliases ${left.aliases.join(', ')}`);
  if (left.versions.length > 0) parts.push(`versions ${left.versions.join(', ')}`);
  if (left.snapshot) parts.push(`version ${left.snapshot} (the saved original settings)`);
  if (left.lock) parts.push(`the lock alias ${LOCK_ALIAS} (pointing at ${left.lock.version})`);
  if (left.latest) {
    const memory = left.latest.memorySize === undefined ? '' : `${left.latest.memorySize} MB, `;
    parts.push(`$LATEST not put back to ${memory}description "${left.latest.description}"`);
  }
  if (left.architecture) {
    parts.push(
      `$LATEST maybe not back on its original architecture (code saved in version ${left.architecture})`,
    );
  }
  for (const what of left.unchecked) parts.push(`unchecked: ${what}`);
  const steps = failed.map(
    (f) => `${f.step}: ${f.error}${f.attempts > 1 ? ` (after ${f.attempts} attempts)` : ''}`,
  );
  return (
    `Cleanup of ${functionLabel} did not finish. Left behind: ${parts.join('; ') || 'nothing known'}. ` +
    `Run \`${cleanupCommand(functionLabel)}\` to remove what is left. Failed steps: ${steps.join('; ')}`
  );
}
