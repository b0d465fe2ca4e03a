/**
 * Heartbeats on a timer while a long control-plane step runs (a waiter can poll for minutes), so
 * a short heartbeat timeout can still tell a crashed worker from a slow step, and cancellation
 * reaches the activity.
 */
import { heartbeat } from '@temporalio/activity';

const INTERVAL_MS = 5_000;

export async function withKeepalive<T>(work: () => Promise<T>, details?: () => unknown): Promise<T> {
  const timer = setInterval(() => heartbeat(details?.()), INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
