/**
 * Activity ids of invocation batches: `invoke-<power>-r<round>-<batch>`. The workflow names its
 * batches with them (they must not change under recorded histories) and the client reads a
 * running batch's memory size back from them to show its heartbeat as live progress.
 */
export function invokeActivityId(power: number, round: number, batch: number): string {
  return `invoke-${power}-r${round}-${batch}`;
}

/** The memory size of a batch's id, or undefined for any other activity. */
export function invokeActivityPower(activityId: string): number | undefined {
  const match = /^invoke-(\d+)-r\d+-\d+$/.exec(activityId);
  return match ? Number(match[1]) : undefined;
}
