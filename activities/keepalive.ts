/**
 * Heartbeats on a timer while a long step runs (a waiter can poll for minutes, an invocation can
 * take 15), so a short heartbeat timeout can still tell a crashed worker from a slow step, and
 * cancellation reaches the activity. Timing: domain/heartbeats.ts.
 */
import { heartbeat } from '@temporalio/activity';
import { KEEPALIVE_MS } from '../domain/heartbeats.js';

/** `beat` sends the heartbeat; by default an empty one, an invocation batch sends its progress. */
export async function withKeepalive<T>(
  work: () => Promise<T>,
  beat: () => void = () => heartbeat(),
): Promise<T> {
  const timer = setInterval(beat, KEEPALIVE_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
