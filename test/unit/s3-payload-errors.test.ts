/**
 * payloadS3 read errors: DNS and connection failures are recognised, retried for a few seconds only,
 * then reported once with the S3 URI, the endpoint and what to check; other errors keep their kinds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { networkFailure } from '../../activities/aws/errors.js';
import {
  createS3PayloadCache,
  s3EndpointInUse,
  unreachableMessage,
  type S3Location,
  type UnreachableRetry,
} from '../../activities/aws/s3-payload.js';
import { closedPort } from '../support/closed-port.js';

const nodeError = (message: string, props: Record<string, unknown>) =>
  Object.assign(new Error(message), props);

describe('networkFailure', () => {
  it('recognises DNS failures with the host name', () => {
    const err = nodeError('getaddrinfo ENOTFOUND s3.example.invalid', {
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
      hostname: 's3.example.invalid',
      $metadata: { attempts: 5, totalRetryDelay: 300 },
    });
    assert.deepEqual(networkFailure(err), { kind: 'dns', code: 'ENOTFOUND', host: 's3.example.invalid' });
    assert.deepEqual(networkFailure(nodeError('getaddrinfo EAI_AGAIN s3', { code: 'EAI_AGAIN' })), {
      kind: 'dns',
      code: 'EAI_AGAIN',
    });
  });

  it('recognises connection failures with address and port', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']) {
      const err = nodeError(`connect ${code} 10.0.0.1:9000`, { code, address: '10.0.0.1', port: 9000 });
      assert.deepEqual(networkFailure(err), { kind: 'connection', code, host: '10.0.0.1:9000' }, code);
    }
  });

  it('looks inside AggregateError (every address of a host failed) and cause chains', () => {
    const v6 = nodeError('connect ECONNREFUSED ::1:9000', {
      code: 'ECONNREFUSED',
      address: '::1',
      port: 9000,
    });
    const v4 = nodeError('connect ECONNREFUSED 127.0.0.1:9000', { code: 'ECONNREFUSED' });
    assert.equal(networkFailure(new AggregateError([v6, v4], ''))?.code, 'ECONNREFUSED');
    const wrapped = new Error('request failed', {
      cause: nodeError('getaddrinfo ENOTFOUND x', { code: 'ENOTFOUND' }),
    });
    assert.equal(networkFailure(wrapped)?.kind, 'dns');
  });

  it("treats the SDK's TimeoutError as a connection failure", () => {
    const err = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    assert.deepEqual(networkFailure(err), { kind: 'connection', code: 'ETIMEDOUT' });
  });

  it('leaves answers from a server and everything else alone', () => {
    const answered = nodeError('Service Unavailable', {
      code: 'ECONNRESET',
      $metadata: { httpStatusCode: 503 },
    });
    assert.equal(networkFailure(answered), undefined);
    assert.equal(networkFailure(Object.assign(new Error('no'), { name: 'AccessDenied' })), undefined);
    assert.equal(networkFailure(new Error('boom')), undefined);
    assert.equal(networkFailure('ECONNREFUSED'), undefined);
    assert.equal(networkFailure(undefined), undefined);
  });
});

describe('unreachableMessage', () => {
  const saved = { ...process.env };
  after(() => {
    for (const v of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  it('names the configured endpoint, the variable that set it and what to check', () => {
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9';
    const refused = { kind: 'connection', code: 'ECONNREFUSED', host: '127.0.0.1:9' } as const;
    const message = unreachableMessage('s3://b/k.json', refused, 'us-east-1', 4, 14_200);
    assert.equal(
      message,
      'Cannot read the payload s3://b/k.json: the S3 endpoint http://127.0.0.1:9 (set by AWS_ENDPOINT_URL_S3) ' +
        'refused the connection (ECONNREFUSED; 4 attempts in 14 s). Check that an S3 server is running at ' +
        "http://127.0.0.1:9 and reachable from the worker, or correct or unset AWS_ENDPOINT_URL_S3 in the worker's " +
        'environment.',
    );
  });

  it("names the region's endpoint when none is configured", () => {
    delete process.env.AWS_ENDPOINT_URL_S3;
    delete process.env.AWS_ENDPOINT_URL;
    assert.deepEqual(s3EndpointInUse('eu-west-1'), { url: 'https://s3.eu-west-1.amazonaws.com' });
    const unresolved = { kind: 'dns', code: 'ENOTFOUND', host: 'b.s3.eu-west-1.amazonaws.com' } as const;
    const message = unreachableMessage('s3://b/k', unresolved, 'eu-west-1', 3, 12_000);
    assert.match(
      message,
      /the S3 endpoint b\.s3\.eu-west-1\.amazonaws\.com of region eu-west-1 has a host name/,
    );
    assert.match(message, /VPC endpoint for S3/);
  });

  it('follows the SDK: AWS_ENDPOINT_URL_S3 before AWS_ENDPOINT_URL, neither when told to ignore them', () => {
    process.env.AWS_ENDPOINT_URL = 'http://localstack:4566';
    assert.deepEqual(s3EndpointInUse('us-east-1'), {
      url: 'http://localstack:4566',
      variable: 'AWS_ENDPOINT_URL',
    });
    process.env.AWS_ENDPOINT_URL_S3 = 'http://minio:9000';
    assert.deepEqual(s3EndpointInUse('us-east-1'), {
      url: 'http://minio:9000',
      variable: 'AWS_ENDPOINT_URL_S3',
    });
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    assert.deepEqual(s3EndpointInUse('us-east-1'), { url: 'https://s3.us-east-1.amazonaws.com' });
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  });
});

const s3At = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 2,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

const location: S3Location = { bucket: 'payloads', key: 'events.json', uri: 's3://payloads/events.json' };

describe('reading payloadS3 from an endpoint that cannot be reached', () => {
  let port: number;
  const waits: number[] = [];
  // Real waits would only slow the test; the budget is what is checked.
  const retry: UnreachableRetry = {
    budgetMs: 3_000,
    baseMs: 500,
    capMs: 1_000,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
  const saved = process.env.AWS_ENDPOINT_URL_S3;
  before(async () => {
    port = await closedPort();
  });
  after(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
    else process.env.AWS_ENDPOINT_URL_S3 = saved;
  });

  /** A cache reading through a client of `endpoint`, also set as the endpoint the messages name. */
  const cacheAt = (endpoint: string, retrying: UnreachableRetry) => {
    process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    const s3 = s3At(endpoint);
    return createS3PayloadCache({ s3: () => s3 }, async () => 'us-east-1', retrying);
  };

  const failure = async (promise: Promise<unknown>): Promise<ApplicationFailure> => {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof ApplicationFailure, `not an ApplicationFailure: ${String(err)}`);
      return err;
    }
    assert.fail('the read succeeded');
  };

  it('a refused connection fails the first read for good, after a few backed-off attempts', async () => {
    waits.length = 0;
    const cache = cacheAt(`http://127.0.0.1:${port}`, retry);
    const err = await failure(cache.check(location, 5));
    assert.equal(err.type, 'PayloadS3Unreachable');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /^Cannot read the payload s3:\/\/payloads\/events\.json: /);
    assert.ok(err.message.includes(`http://127.0.0.1:${port} (set by AWS_ENDPOINT_URL_S3)`), err.message);
    assert.match(err.message, /refused the connection \(ECONNREFUSED; \d+ attempts in \d+ s\)/);
    assert.doesNotMatch(err.message, /Error: Error/);
    // Exponential waits within the budget: 500, then 1000 (the cap) until the budget is spent.
    assert.ok(waits.length >= 1, `no retry: ${waits.join(',')}`);
    assert.equal(waits[0], 500);
    assert.ok(waits.every((w) => w <= 1_000));
  });

  it('a host name that does not resolve is a DNS failure naming that host', async () => {
    const cache = cacheAt('http://s3.tuning-test.invalid:9000', { ...retry, budgetMs: 600 });
    const err = await failure(cache.check(location, 5));
    assert.equal(err.type, 'PayloadS3Unreachable');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /http:\/\/s3\.tuning-test\.invalid:9000 \(set by AWS_ENDPOINT_URL_S3\)/);
    // `.invalid` never resolves (RFC 6761); without any resolver the lookup fails with EAI_AGAIN instead.
    assert.match(
      err.message,
      /(does not resolve in DNS \(ENOTFOUND|could not be looked up in DNS \(EAI_AGAIN)/,
    );
    assert.match(err.message, /does the worker resolve it\?/);
  });

  it('a later read during the invocations stays retryable: that endpoint worked minutes ago', async () => {
    const cache = cacheAt(`http://127.0.0.1:${port}`, { ...retry, budgetMs: 600 });
    const err = await failure(cache.spec({ ...location, etag: '"abc"' }, 5));
    assert.equal(err.type, 'PayloadS3Unreachable');
    assert.equal(err.nonRetryable, false);
  });

  it('other errors keep their own kinds, without "Error: Error:"', async () => {
    const throwing = (error: unknown) =>
      ({
        send: async () => {
          throw error;
        },
      }) as unknown as S3Client;
    const read = (error: unknown) =>
      failure(
        createS3PayloadCache({ s3: () => throwing(error) }, async () => 'us-east-1', retry).check(
          location,
          1,
        ),
      );

    const denied = await read(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    assert.equal(denied.type, 'PayloadS3AccessDenied');
    const missing = await read(
      Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    assert.equal(missing.type, 'PayloadS3NotFound');
    const odd = await read(new Error('boom'));
    assert.equal(odd.message, 'Unknown error when reading s3://payloads/events.json: boom');
    assert.equal(odd.nonRetryable, false);
    const named = await read(
      Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 400 } }),
    );
    assert.equal(named.message, 'Unknown error when reading s3://payloads/events.json: SlowDown: slow down');
  });
});
