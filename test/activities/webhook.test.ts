/**
 * The drift webhook's POST against a loopback HTTP server: the notice as plain JSON, or with the
 * payload codec on, as an encrypted payload the codec turns back into the notice; failures
 * classified for retries; never a redirect followed, never an unbounded wait.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { WEBHOOK_TIMEOUT_MS, postWebhook } from '../../activities/webhook.js';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../codec/aes-gcm-codec.js';
import { payloadsFromJson } from '../../codec/server.js';
import type { DriftNotice } from '../../domain/drift.js';
import { closedPort } from '../support/closed-port.js';

const notice: DriftNotice = {
  type: 'powertune.drift',
  scheduleId: 'powertune-schedule-orders',
  functionName: 'orders',
  strategy: 'cost',
  currency: 'USD',
  statement: 'Drift: the recommended size’s cost per invocation moved beyond noise.',
  reasons: ['the recommended size’s cost per invocation moved beyond noise'],
  previous: { tuningWorkflowId: 'a-tuning', power: 256, cost: 0.000001, duration: 120 },
  current: { tuningWorkflowId: 'b-tuning', power: 512, cost: 0.000002, duration: 118 },
  workflow: { namespace: 'default', workflowId: 'b', runId: 'r', link: 'http://ui/b' },
};

interface Received {
  method: string;
  path: string;
  contentType: string;
  body: string;
}

/** Answers each request with the next status (200 once they run out); 0 means never answer. */
function hookServer() {
  const received: Received[] = [];
  let statuses: number[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body,
      });
      const status = statuses.shift() ?? 200;
      if (status === 0) {
        hanging.push(res);
        return;
      }
      if (status >= 300 && status < 400) res.setHeader('location', '/elsewhere');
      res.writeHead(status).end('ok');
    });
  });
  return {
    received,
    answer: (...next: number[]) => (statuses = next),
    url: (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function failureOf(err: unknown): ApplicationFailure {
  assert.ok(err instanceof ApplicationFailure, String(err));
  return err;
}

describe('drift webhook', () => {
  const hook = hookServer();
  before(() => hook.start());
  after(() => hook.stop());

  it('posts the notice as JSON', async () => {
    hook.answer(204);
    const delivery = await postWebhook({ url: hook.url('/hook?token=s3cret'), notice }, { codecs: [] });
    assert.deepEqual(delivery, { status: 204, encoded: false });
    const got = hook.received.at(-1)!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/hook?token=s3cret');
    assert.equal(got.contentType, 'application/json');
    assert.deepEqual(JSON.parse(got.body), notice);
  });

  it('with the payload codec, posts the encrypted payload, which the codec reads back', async () => {
    const key = crypto.randomBytes(32);
    const codec = new AesGcmPayloadCodec({ currentKeyId: 'k1', keys: new Map([['k1', key]]) });
    hook.answer(200);
    const delivery = await postWebhook({ url: hook.url('/hook'), notice }, { codecs: [codec] });
    assert.deepEqual(delivery, { status: 200, encoded: true });
    const body = hook.received.at(-1)!.body;
    // Nothing of the notice in clear text.
    for (const secret of ['orders', 'powertune.drift', 'moved beyond noise', 'b-tuning'])
      assert.ok(!body.includes(secret), `"${secret}" is readable in ${body}`);
    const payloads = payloadsFromJson(JSON.parse(body));
    assert.equal(payloads.length, 1);
    assert.equal(Buffer.from(payloads[0]!.metadata!['encoding']!).toString(), ENCRYPTED_ENCODING);
    const [decoded] = await codec.decode(payloads);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), notice);
  });

  it('a server error or throttling is retryable; a refusal is final; neither shows the URL’s path', async () => {
    for (const status of [500, 503, 429, 408]) {
      hook.answer(status);
      const err = await postWebhook({ url: hook.url('/hook?token=s3cret'), notice }, { codecs: [] }).catch(
        (e: unknown) => e,
      );
      const failure = failureOf(err);
      assert.equal(failure.nonRetryable, false, `HTTP ${status}`);
      assert.equal(failure.type, 'WebhookUnavailable');
      assert.match(failure.message, new RegExp(`answered HTTP ${status}$`));
      assert.ok(!failure.message.includes('s3cret'));
    }
    hook.answer(404);
    const refused = failureOf(
      await postWebhook({ url: hook.url('/hook?token=s3cret'), notice }, { codecs: [] }).catch(
        (e: unknown) => e,
      ),
    );
    assert.equal(refused.nonRetryable, true);
    assert.equal(refused.type, 'WebhookRejected');
    assert.match(refused.message, /^webhook 127\.0\.0\.1:\d+ answered HTTP 404$/);
  });

  it('does not follow a redirect', async () => {
    hook.answer(302);
    const before = hook.received.length;
    const err = failureOf(
      await postWebhook({ url: hook.url('/hook'), notice }, { codecs: [] }).catch((e: unknown) => e),
    );
    assert.match(err.message, /answered HTTP 302/);
    assert.equal(err.nonRetryable, true);
    assert.equal(hook.received.length, before + 1, 'only the webhook itself was called');
  });

  it('gives up on a receiver that never answers, retryably', async () => {
    assert.ok(WEBHOOK_TIMEOUT_MS <= 30_000, 'an attempt fits the activity’s start-to-close timeout');
    hook.answer(0);
    const err = failureOf(
      await postWebhook({ url: hook.url('/slow'), notice }, { codecs: [], timeoutMs: 300 }).catch(
        (e: unknown) => e,
      ),
    );
    assert.equal(err.type, 'WebhookUnreachable');
    assert.equal(err.nonRetryable, false);
    assert.match(err.message, /no answer within 300 ms/);
  });

  it('a refused connection is retryable', async () => {
    const port = await closedPort();
    const err = failureOf(
      await postWebhook({ url: `http://127.0.0.1:${port}/hook`, notice }, { codecs: [] }).catch(
        (e: unknown) => e,
      ),
    );
    assert.equal(err.type, 'WebhookUnreachable');
    assert.equal(err.nonRetryable, false);
  });
});
