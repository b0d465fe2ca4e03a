/**
 * Production volume read from the function's CloudWatch `Invocations` metric instead of given:
 * the window it is read over, and how a window's count becomes a monthly figure.
 */

/** The value of `invocationsPerMonth` that asks for the volume to be read from CloudWatch. */
export const VOLUME_FROM_CLOUDWATCH = 'cloudwatch';

export const DEFAULT_VOLUME_WINDOW_DAYS = 14;
/** CloudWatch keeps hourly statistics (so daily sums) for 455 days. */
export const MAX_VOLUME_WINDOW_DAYS = 455;

/** An average month: a Julian year over 12. */
const DAYS_PER_MONTH = 365.25 / 12;

/** The function's volume as CloudWatch recorded it, before the tuning invoked anything. */
export interface MeasuredVolume {
  /** Sum of the `Invocations` metric over the window. */
  invocations: number;
  windowDays: number;
  /** The window's daily rate over an average month, rounded. */
  perMonth: number;
  source: 'cloudwatch';
}

export function measuredVolume(invocations: number, windowDays: number): MeasuredVolume {
  return {
    invocations,
    windowDays,
    perMonth: Math.round((invocations / windowDays) * DAYS_PER_MONTH),
    source: 'cloudwatch',
  };
}
