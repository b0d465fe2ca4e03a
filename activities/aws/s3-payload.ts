/**
 * payloadS3: the object is read by activities only, never put into workflow history.
 * Each worker process keeps one parsed copy per object version (ETag), so a run reads it once
 * per worker instead of once per batch.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sleep as activitySleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { payloadSpecFromValue } from '../../domain/payloads.js';
import type { PayloadSpec } from '../../domain/types.js';
import type { AwsClients } from './clients.js';
import { errorName, networkFailure, type NetworkFailure } from './errors.js';

export interface S3Location {
  bucket: string;
  key: string;
  uri: string;
  etag?: string;
}

export interface S3PayloadCache {
  /** Reads and checks the object; returns its ETag so later reads get the same bytes. */
  check(location: S3Location, num: number): Promise<string | undefined>;
  spec(location: S3Location, num: number): Promise<PayloadSpec>;
}

/**
 * How long a read keeps trying an S3 endpoint it cannot find or connect to. Short on purpose: a
 * wrong or missing endpoint never fixes itself, and the activity's own retries (minutes) would
 * only hide the cause. Kept under the heartbeat timeout (domain/heartbeats.ts) of the activities
 * that read S3: prepareTuning does not heartbeat meanwhile.
 */
export interface UnreachableRetry {
  budgetMs: number;
  baseMs: number;
  capMs: number;
  /** Activity-aware sleep by default (cancellation ends the wait); tests pass their own. */
  sleep?: (ms: number) => Promise<void>;
}

export const S3_UNREACHABLE_RETRY: UnreachableRetry = { budgetMs: 15_000, baseMs: 500, capMs: 4_000 };

/** The largest payload a synchronous invocation accepts. */
const MAX_BYTES = 6 * 1024 * 1024;
/** Even the last attempt gets this long to connect, so a slow DNS answer is not cut at once. */
const MIN_ATTEMPT_MS = 1_000;

/** `AccessDenied: ...` from an AWS error, `boom` from a plain Error: never "Error: Error: ...". */
function describe(err: unknown): string {
  const name = errorName(err);
  const message = err instanceof Error ? err.message : String(err);
  return name === 'Error' || message.startsWith(`${name}:`) ? message : `${name}: ${message}`;
}

function explain(err: unknown, uri: string): never {
  const name = errorName(err);
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 403 || name === 'AccessDenied') {
    throw ApplicationFailure.nonRetryable(
      `Permission denied when reading ${uri}: the worker's role needs s3:GetObject on it.`,
      'PayloadS3AccessDenied',
    );
  }
  if (status === 404 || name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound') {
    throw ApplicationFailure.nonRetryable(
      `The object ${uri} does not exist. Check the bucket, the key and the region.`,
      'PayloadS3NotFound',
    );
  }
  throw ApplicationFailure.retryable(`Unknown error when reading ${uri}: ${describe(err)}`, name);
}

/** The endpoint the SDK dials for S3, and where that choice comes from (same precedence as the SDK). */
export function s3EndpointInUse(region: string | undefined): { url?: string; variable?: string } {
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== 'true') {
    for (const variable of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
      const url = process.env[variable];
      if (url) return { url, variable };
    }
  }
  return region ? { url: `https://s3.${region}.amazonaws.com` } : {};
}

const WHAT_HAPPENED: Record<string, string> = {
  ENOTFOUND: 'has a host name that does not resolve in DNS',
  EAI_NONAME: 'has a host name that does not resolve in DNS',
  EAI_NODATA: 'has a host name that does not resolve in DNS',
  EAI_AGAIN: 'could not be looked up in DNS',
  EAI_FAIL: 'could not be looked up in DNS',
  ECONNREFUSED: 'refused the connection',
  ETIMEDOUT: 'did not answer in time',
  EHOSTUNREACH: 'is unreachable from this network',
  EHOSTDOWN: 'is unreachable from this network',
  ENETUNREACH: 'is unreachable from this network',
  ENETDOWN: 'is unreachable from this network',
};

/** The final word on an endpoint that could not be reached: what, where, and what to check. */
export function unreachableMessage(
  uri: string,
  failure: NetworkFailure,
  region: string | undefined,
  attempts: number,
  elapsedMs: number,
): string {
  const endpoint = s3EndpointInUse(region);
  const what = WHAT_HAPPENED[failure.code] ?? 'dropped the connection';
  const where = endpoint.variable
    ? `the S3 endpoint ${endpoint.url} (set by ${endpoint.variable})`
    : `the S3 endpoint ${failure.host ?? endpoint.url ?? '(unknown)'}${region ? ` of region ${region}` : ''}`;
  const host = failure.host && !where.includes(failure.host) ? `, at ${failure.host}` : '';
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'} in ${Math.round(elapsedMs / 1000)} s`;
  const check = endpoint.variable
    ? `Check that an S3 server is running at ${endpoint.url} and reachable from the worker` +
      `${failure.kind === 'dns' ? ' (is the host name right, and does the worker resolve it?)' : ''}, ` +
      `or correct or unset ${endpoint.variable} in the worker's environment.`
    : `Check the worker's network access to S3 (DNS, proxy, NAT gateway or a VPC endpoint for S3) ` +
      `and the region, or set AWS_ENDPOINT_URL_S3 for an S3-compatible server.`;
  return `Cannot read the payload ${uri}: ${where} ${what}${host} (${failure.code}; ${tries}). ${check}`;
}

/** Plain exponential backoff, no jitter: the budget is short and only this read is waiting. */
const backoffMs = (attempt: number, retry: UnreachableRetry) =>
  Math.min(retry.capMs, retry.baseMs * 2 ** (attempt - 1));

export function createS3PayloadCache(
  aws: Pick<AwsClients, 's3'>,
  region: () => Promise<string | undefined>,
  retry: UnreachableRetry = S3_UNREACHABLE_RETRY,
): S3PayloadCache {
  const parsed = new Map<string, Promise<unknown>>();
  const sleep = retry.sleep ?? activitySleep;

  async function readOnce(
    s3: S3Client,
    location: S3Location,
    deadline: AbortSignal,
  ): Promise<{ value: unknown; etag?: string }> {
    // The HEAD is the first contact with the endpoint: the deadline stops a connect that hangs.
    const head = await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }), {
      abortSignal: deadline,
    });
    if ((head.ContentLength ?? 0) > MAX_BYTES) {
      throw ApplicationFailure.nonRetryable(
        `The object ${location.uri} is ${head.ContentLength} bytes; Lambda accepts at most ${MAX_BYTES} bytes per synchronous invocation.`,
        'PayloadS3TooLarge',
      );
    }
    const object = await s3.send(
      new GetObjectCommand({ Bucket: location.bucket, Key: location.key, IfMatch: location.etag }),
    );
    const body = (await object.Body?.transformToString('utf-8')) ?? '';
    return { value: parseBody(body), etag: object.ETag };
  }

  /**
   * Reads the object, retrying DNS and connection failures briefly. `firstRead` (before the tuning
   * changes anything) fails for good when the budget is spent; a later read in a batch fails
   * retryably instead, since the same endpoint worked minutes ago and a blip should not end a run.
   */
  async function read(location: S3Location, firstRead: boolean): Promise<{ value: unknown; etag?: string }> {
    const where = await region();
    const s3 = aws.s3(where);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const remaining = retry.budgetMs - (Date.now() - started);
      const deadline = AbortSignal.timeout(Math.max(remaining, MIN_ATTEMPT_MS));
      let failure: NetworkFailure | undefined;
      try {
        return await readOnce(s3, location, deadline);
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        failure =
          networkFailure(err) ?? (deadline.aborted ? { kind: 'connection', code: 'ETIMEDOUT' } : undefined);
        if (!failure) explain(err, location.uri);
      }
      const elapsed = Date.now() - started;
      const wait = backoffMs(attempt, retry);
      if (elapsed + wait >= retry.budgetMs) {
        const message = unreachableMessage(location.uri, failure, where, attempt, elapsed);
        throw firstRead
          ? ApplicationFailure.nonRetryable(message, 'PayloadS3Unreachable')
          : ApplicationFailure.retryable(message, 'PayloadS3Unreachable');
      }
      await sleep(wait);
    }
  }

  return {
    async check(location, num) {
      const { value, etag } = await read(location, true);
      payloadSpecFromValue(value, num, 'payloadS3');
      return etag;
    },
    async spec(location, num) {
      const key = `${location.uri}#${location.etag ?? ''}`;
      let value = parsed.get(key);
      if (!value) {
        value = read(location, false).then((r) => r.value);
        parsed.set(key, value);
        value.catch(() => parsed.delete(key));
      }
      return payloadSpecFromValue(await value, num, 'payloadS3');
    },
  };
}

/** Like the original: JSON when it parses, else the raw text as a string payload. */
function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
