/**
 * payloadS3: the object is read by activities only, never put into workflow history.
 * Each worker process keeps one parsed copy per object version (ETag), so a run reads it once
 * per worker instead of once per batch.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { payloadSpecFromValue } from '../domain/payloads.js';
import type { PayloadSpec } from '../domain/types.js';
import type { AwsClients } from './aws-clients.js';
import { errorName } from './aws-errors.js';

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

/** The largest payload a synchronous invocation accepts. */
const MAX_BYTES = 6 * 1024 * 1024;

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
  throw ApplicationFailure.retryable(`Unknown error when reading ${uri}: ${name}: ${String(err)}`, name);
}

export function createS3PayloadCache(
  aws: AwsClients,
  region: () => Promise<string | undefined>,
): S3PayloadCache {
  const parsed = new Map<string, Promise<unknown>>();

  async function read(location: S3Location): Promise<{ value: unknown; etag?: string }> {
    const s3 = aws.s3(await region());
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
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
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      explain(err, location.uri);
    }
  }

  return {
    async check(location, num) {
      const { value, etag } = await read(location);
      payloadSpecFromValue(value, num, 'payloadS3');
      return etag;
    },
    async spec(location, num) {
      const key = `${location.uri}#${location.etag ?? ''}`;
      let value = parsed.get(key);
      if (!value) {
        value = read(location).then((r) => r.value);
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
