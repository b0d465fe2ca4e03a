/**
 * The worker's activity slots from `PT_WORKER_ACTIVITY_SLOTS`: how many activities (a size's
 * invocation batch, a setup, a cleanup) one worker runs at once. Unset: the SDK's default (100).
 * A bad value stops the worker with a message naming the variable, before it connects.
 */
export const ACTIVITY_SLOTS_VARIABLE = 'PT_WORKER_ACTIVITY_SLOTS';
export const MAX_ACTIVITY_SLOTS = 10_000;

export function activitySlotsFromEnv(env: Record<string, string | undefined> = process.env): {
  maxConcurrentActivityTaskExecutions?: number;
} {
  const raw = env[ACTIVITY_SLOTS_VARIABLE];
  if (raw === undefined || raw.trim() === '') return {};
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < 1 || value > MAX_ACTIVITY_SLOTS) {
    throw new Error(
      `${ACTIVITY_SLOTS_VARIABLE}=${JSON.stringify(raw)} is not a number of activity slots. ` +
        `Accepted: a whole number from 1 to ${MAX_ACTIVITY_SLOTS}, or unset for the SDK's default of 100.`,
    );
  }
  return { maxConcurrentActivityTaskExecutions: value };
}
