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

/** A role the function's calls must be made with could not be assumed (aws/assume-role.ts). */
export const ASSUME_ROLE_DENIED = 'AssumeRoleDenied';

/** Errors that no retry can fix: permissions, missing resources, bad parameters. */
const PERMANENT = new Set([
  ASSUME_ROLE_DENIED,
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
  'AliasLimitExceededException',
]);

/** An error no retry can fix (see PERMANENT). */
export const isPermanent = (err: unknown): boolean => PERMANENT.has(errorName(err));

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

/** A request that never got an HTTP answer because the endpoint could not be found or reached. */
export interface NetworkFailure {
  /** `dns`: the host name did not resolve; `connection`: no usable connection to the address. */
  kind: 'dns' | 'connection';
  /** Node's error code (ENOTFOUND, ECONNREFUSED, ...), or ETIMEDOUT for the SDK's TimeoutError. */
  code: string;
  /** The host (and port) Node was dialling, when the error says. */
  host?: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
]);

interface NodeNetError {
  name?: unknown;
  code?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * DNS and connection errors, recognised by Node's error code on the error itself, on its `cause`
 * chain (wrappers) or inside an AggregateError (Node tries every address of a host). An error that
 * carries an HTTP status is an answer from a server, never a network failure.
 */
export function networkFailure(err: unknown, depth = 0): NetworkFailure | undefined {
  if (typeof err !== 'object' || err === null || depth > 5) return undefined;
  const e = err as NodeNetError;
  if (e.$metadata?.httpStatusCode !== undefined) return undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const host =
    typeof e.hostname === 'string'
      ? e.hostname
      : typeof e.address === 'string'
        ? e.port === undefined
          ? e.address
          : `${e.address}:${String(e.port)}`
        : undefined;
  const found = (kind: NetworkFailure['kind'], c: string): NetworkFailure =>
    host === undefined ? { kind, code: c } : { kind, code: c, host };
  if (code && DNS_CODES.has(code)) return found('dns', code);
  if (code && CONNECTION_CODES.has(code)) return found('connection', code);
  // The SDK's own connection/socket timeouts have no code, only this name.
  if (e.name === 'TimeoutError') return found('connection', 'ETIMEDOUT');
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const failure = networkFailure(inner, depth + 1);
      if (failure) return failure;
    }
  }
  return networkFailure(e.cause, depth + 1);
}
