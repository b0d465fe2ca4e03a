/**
 * Activity ids of invocation batches: `invoke-<power>-r<round>-<batch>`, or
 * `invoke-<power>-<architecture>-r<round>-<batch>` for sizes set up on another architecture than
 * the function's own (input architectures). The workflow names its
 * batches with them (they must not change under recorded histories) and the client reads a
 * running batch's memory size back from them to show its heartbeat as live progress.
 */
export function invokeActivityId(power: number, round: number, batch: number, architecture?: string): string {
  return `invoke-${power}${architecture === undefined ? '' : `-${architecture}`}-r${round}-${batch}`;
}

/** The memory size (and architecture, when named) of a batch's id; undefined for any other activity. */
export function invokeActivitySize(activityId: string): { power: number; architecture?: string } | undefined {
  const match = /^invoke-(\d+)(?:-(x86_64|arm64))?-r\d+-\d+$/.exec(activityId);
  if (!match) return undefined;
  return { power: Number(match[1]), ...(match[2] ? { architecture: match[2] } : {}) };
}

/** The memory size of a batch's id, or undefined for any other activity. */
export function invokeActivityPower(activityId: string): number | undefined {
  return invokeActivitySize(activityId)?.power;
}
