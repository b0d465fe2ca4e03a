// I/O-bound sample: waits (as on a network call) and does almost no CPU work, so more
// memory buys nothing and the smallest size is the cheapest.
import { setTimeout as sleep } from 'node:timers/promises';

export const handler = async (event) => {
  const waitMs = (event && event.waitMs) || 100;
  await sleep(waitMs);
  return { waitedMs: waitMs };
};
