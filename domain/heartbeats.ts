/**
 * Heartbeat timing of the activities, in one place because the numbers only work together:
 *
 *   PROGRESS_BEAT_MIN_MS (1 s) ≤ HEARTBEAT_THROTTLE_MS (3 s) < KEEPALIVE_MS (5 s) < HEARTBEAT_TIMEOUT_MS (20 s)
 *
 * A long step beats at least every KEEPALIVE_MS and the worker forwards a beat at most
 * HEARTBEAT_THROTTLE_MS late, so the server hears a live step at least every 8 s, well within
 * the timeout, while a crashed worker is still noticed within 20 s. Progress beats are paced
 * below the throttle, so the throttle alone decides how fresh progress is.
 * test/unit/heartbeats.test.ts checks these relations.
 */

/** Without a heartbeat for this long, the server takes the activity's worker for dead and retries it elsewhere. */
export const HEARTBEAT_TIMEOUT_MS = 20_000;

/**
 * The worker sends an activity's heartbeats to the server at most this far apart (Worker option
 * `maxHeartbeatThrottleInterval`): a resumed batch redoes little, and a cancellation reaches a
 * running batch quickly.
 */
export const HEARTBEAT_THROTTLE_MS = 3_000;

/**
 * Steps that can run long beat on a timer this often, even with nothing new to say: a waiter
 * can poll for minutes, and a single invocation can take 15.
 */
export const KEEPALIVE_MS = 5_000;

/**
 * An invocation batch beats its progress after an invocation only this long after the previous
 * beat: encoding the details after each of hundreds of fast invocations cost more CPU than the
 * invocations themselves (bench scenario 2), and the worker forwards them only every
 * HEARTBEAT_THROTTLE_MS anyway.
 */
export const PROGRESS_BEAT_MIN_MS = 1_000;
