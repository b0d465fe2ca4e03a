/**
 * Per-call retries: for invocations, throttling, 5xx and dropped connections are retried with
 * capped exponential backoff and full jitter, never sooner than the service's Retry-After.
 * Cleanup steps use the same loop with their own bounds and test (activities/cleanup-steps.ts).
 */
import { sleep } from '@temporalio/activity';
import { isTransient, retryAfterMs } from './errors.js';

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  capMs: number;
  /** Told before each wait; used for logging and tests. */
  onRetry?: (err: unknown, waitMs: number, attempt: number) => void;
  /** Which errors are worth another try; default: throttling, 5xx and dropped connections. */
  retryIf?: (err: unknown) => boolean;
}

export const INVOKE_RETRY: RetryOptions = { attempts: 10, baseMs: 250, capMs: 20_000 };

export function backoffMs(attempt: number, opts: RetryOptions, err: unknown, random = Math.random): number {
  const exponential = Math.min(opts.capMs, opts.baseMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * exponential);
  return Math.max(jittered, retryAfterMs(err) ?? 0);
}

export async function withRetries<T>(call: () => Promise<T>, opts: RetryOptions = INVOKE_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(opts.retryIf ?? isTransient)(err) || attempt >= opts.attempts) throw err;
      const waitMs = backoffMs(attempt, opts, err);
      opts.onRetry?.(err, waitMs, attempt);
      await sleep(waitMs);
    }
  }
}
