/** Timestamps for people: `2026-12-01 07:13:11 UTC`, in the local zone unless one is given. */

/**
 * `YYYY-MM-DD HH:MM:SS <zone>`, the zone by its short name (UTC, EST, GMT+1). `timeZone` is an
 * IANA name; without it the machine's zone is used (tests pass one so the text is the same
 * everywhere).
 */
export function formatTimestamp(date: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    ...(timeZone ? { timeZone } : {}),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return (
    `${part('year')}-${part('month')}-${part('day')} ` +
    `${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`
  );
}
