/**
 * Polls a function's configuration until an update or a new version settles. Our own loop, not
 * the SDK's waiters: those treat every error as "try again" until their deadline, so a function
 * deleted mid-setup held a tuning for five minutes. Here an error that no retry can fix (not
 * found, access denied) ends the wait at once; throttling and dropped connections are retried.
 */
import {
  GetFunctionConfigurationCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { sleep } from '@temporalio/activity';
import { isPermanent } from './errors.js';

export interface WaitBounds {
  /** Give up after this long, in ms. */
  maxWaitMs: number;
  /** First pause between polls, doubled after each poll up to maxDelayMs. */
  minDelayMs: number;
  maxDelayMs: number;
}

/** What one poll says: settled, still going, or failed for good (with the service's reason). */
export type PollVerdict = { state: 'done' } | { state: 'retry' } | { state: 'failed'; reason: string };

/** The activity's clock (its sleep ends early when the activity is cancelled); tests pass their own. */
export interface WaitClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

export class UpdateFailedError extends Error {
  override name = 'UpdateFailedError';
}

/** Pause before poll `attempt` (0-based): exponential from minDelayMs, capped, with ±20% jitter. */
export function pollDelayMs(bounds: WaitBounds, attempt: number, random = Math.random): number {
  const base = Math.min(bounds.maxDelayMs, bounds.minDelayMs * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Calls `poll` until it says done (returns), failed (throws UpdateFailedError) or the time is up
 * (throws WaitTimeoutError). A permanent AWS error from `poll` is thrown as it is.
 */
export async function waitFor(
  what: string,
  bounds: WaitBounds,
  poll: () => Promise<PollVerdict>,
  clock: WaitClock = { now: Date.now, sleep },
): Promise<void> {
  const { now } = clock;
  const deadline = now() + bounds.maxWaitMs;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      const verdict = await poll();
      if (verdict.state === 'done') return;
      if (verdict.state === 'failed') throw new UpdateFailedError(`${what} failed: ${verdict.reason}`);
      lastError = undefined;
    } catch (err) {
      if (err instanceof UpdateFailedError || isPermanent(err)) throw err;
      lastError = err;
    }
    const pause = Math.min(pollDelayMs(bounds, attempt), deadline - now());
    if (pause <= 0) {
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      throw new WaitTimeoutError(`${what}: still not settled after ${bounds.maxWaitMs / 1000} s${cause}`);
    }
    await clock.sleep(pause);
  }
}

type Configuration = Pick<
  FunctionConfiguration,
  'LastUpdateStatus' | 'LastUpdateStatusReason' | 'State' | 'StateReason'
>;

/** `$LATEST` after UpdateFunctionConfiguration: done when no update is in progress. */
export function updateVerdict(config: Configuration): PollVerdict {
  if (config.LastUpdateStatus === 'InProgress') return { state: 'retry' };
  if (config.LastUpdateStatus === 'Failed')
    return { state: 'failed', reason: config.LastUpdateStatusReason ?? 'no reason given' };
  return { state: 'done' };
}

/** A published version: done when Active (SnapStart versions start Pending). */
export function activeVerdict(config: Configuration): PollVerdict {
  if (config.State === 'Active') return { state: 'done' };
  if (config.State === 'Failed') return { state: 'failed', reason: config.StateReason ?? 'no reason given' };
  return { state: 'retry' };
}

/** Reads one qualifier's configuration and judges it with `verdict`. */
export function configurationPoll(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string | undefined,
  verdict: (config: Configuration) => PollVerdict,
): () => Promise<PollVerdict> {
  return async () =>
    verdict(
      await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
      ),
    );
}
