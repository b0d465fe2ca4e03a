/**
 * How the activities classify AWS errors: what to retry, and what should fail at once
 * with a message a person can act on.
 */
import { ApplicationFailure } from '@temporalio/common';

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: 'client' | 'server';
  retryAfterSeconds?: string;
}

function asAws(err: unknown): AwsLikeError {
  return typeof err === 'object' && err !== null ? (err as AwsLikeError) : {};
}

export const errorName = (err: unknown): string => asAws(err).name ?? 'Error';
export const isNotFound = (err: unknown): boolean => errorName(err) === 'ResourceNotFoundException';
export const isConflict = (err: unknown): boolean => errorName(err) === 'ResourceConflictException';

const THROTTLES = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Throttling, 5xx, and connections dropped before an answer: worth another try. */
export function isTransient(err: unknown): boolean {
  const e = asAws(err);
  if (THROTTLES.has(e.name ?? '')) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (e.$fault === 'server') return true;
  if (status === undefined) {
    // No HTTP answer at all: reset, refused, timed out.
    const text = `${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`;
    return /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|TimeoutError|EAI_AGAIN|network|aborted/i.test(
      text,
    );
  }
  return false;
}

/** Seconds the service asked us to wait (429 Retry-After), if it said. */
export function retryAfterMs(err: unknown): number | undefined {
  const seconds = Number(asAws(err).retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Errors that no retry can fix: permissions, missing resources, bad parameters. */
const PERMANENT = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ResourceNotFoundException',
  'InvalidParameterValueException',
  'InvalidRequestContentException',
  'RequestTooLargeException',
  'NoSuchBucket',
  'NoSuchKey',
  'CodeStorageExceededException',
]);

/**
 * Rethrows an AWS error from an activity: permanent ones become non-retryable failures with
 * `context` in front of the service's own message; anything else stays retryable.
 */
export function rethrowAws(err: unknown, context: string): never {
  const name = errorName(err);
  const message = `${context}: ${name}: ${asAws(err).message ?? String(err)}`;
  if (PERMANENT.has(name)) throw ApplicationFailure.nonRetryable(message, name);
  throw ApplicationFailure.retryable(message, name);
}
