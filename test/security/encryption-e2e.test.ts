/**
 * End to end on a real Temporal dev server: with the codec on both client and worker, the history
 * the server stores holds only `binary/encrypted` payloads (no plaintext of the input, the activity's
 * arguments or the result), while a client with the codec, the codec server (as the Web UI uses it)
 * and the real `temporal` CLI with `--codec-endpoint` still read them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { dataConverterFromEnv } from '../../codec/data-converter.js';
import { payloadsToJson, startCodecServer } from '../../codec/server.js';
import { testTemporalAddress, testTemporalCliPath, testTemporalNamespace } from '../support/env.js';
import { secretEchoActivities } from './fixtures/secret-echo-activities.js';

const { temporal } = proto;
type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

const WORKFLOW_PATH = fileURLToPath(new URL('./fixtures/secret-echo-workflow.ts', import.meta.url));
const silent = () => undefined;
const quietLogger = {
  log: silent,
  trace: silent,
  debug: silent,
  info: silent,
  warn: silent,
  error: console.error,
};

const CODEC_TOKEN = 'e2e-codec-token';

/** Runs a CLI command and returns its stdout (stderr included on failure). */
function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

/** Every payload recorded in the history events that carry workflow or activity data. */
function historyPayloads(history: History): { event: string; payload: Payload }[] {
  const found: { event: string; payload: Payload }[] = [];
  for (const e of history.events ?? []) {
    const groups: [string, Payload[] | null | undefined][] = [
      ['WorkflowExecutionStarted.input', e.workflowExecutionStartedEventAttributes?.input?.payloads],
      ['ActivityTaskScheduled.input', e.activityTaskScheduledEventAttributes?.input?.payloads],
      ['ActivityTaskCompleted.result', e.activityTaskCompletedEventAttributes?.result?.payloads],
      ['WorkflowExecutionCompleted.result', e.workflowExecutionCompletedEventAttributes?.result?.payloads],
    ];
    for (const [event, payloads] of groups)
      for (const payload of payloads ?? []) found.push({ event, payload });
  }
  return found;
}

const serialized = (history: History) =>
  Buffer.from(temporal.api.history.v1.History.encode(history).finish());

describe('payload encryption end to end', () => {
  const key = crypto.randomBytes(32).toString('base64');
  const dataConverter = dataConverterFromEnv({ PT_CODEC_KEY: key, PT_CODEC_KEY_ID: 'e2e-key' });
  const taskQueue = `security-codec-${crypto.randomUUID()}`;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let encrypting: Client;
  let plain: Client;
  let worker: Worker;
  let running: Promise<void>;
  let address: string;
  let namespace: string;

  before(async () => {
    assert.ok(dataConverter, 'codec keys were not picked up');
    Runtime.install({ logger: new DefaultLogger('WARN') });
    address = await testTemporalAddress();
    namespace = await testTemporalNamespace();
    nativeConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOW_PATH, logger: quietLogger }),
      activities: secretEchoActivities(),
      dataConverter,
    });
    running = worker.run();
    connection = await Connection.connect({ address });
    encrypting = new Client({ connection, namespace, dataConverter });
    plain = new Client({ connection, namespace });
  });

  after(async () => {
    if (worker) {
      worker.shutdown();
      await running.catch(() => undefined);
    }
    await nativeConnection?.close();
    await connection?.close();
  });

  it('stores only ciphertext in the history, and the codec client reads the result', async () => {
    const secret = `marker-${crypto.randomUUID()}`;
    const workflowId = `security-codec-${crypto.randomUUID()}`;
    const result = await encrypting.workflow.execute('secretEcho', {
      taskQueue,
      workflowId,
      args: [{ secret }],
    });
    assert.deepEqual(result, { echoed: secret, described: `activity saw ${secret}` });

    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    const payloads = historyPayloads(history);
    assert.deepEqual([...new Set(payloads.map((p) => p.event))].sort(), [
      'ActivityTaskCompleted.result',
      'ActivityTaskScheduled.input',
      'WorkflowExecutionCompleted.result',
      'WorkflowExecutionStarted.input',
    ]);
    for (const { event, payload } of payloads) {
      assert.equal(text(payload.metadata?.['encoding']), 'binary/encrypted', event);
      assert.equal(text(payload.metadata?.['encryption-key-id']), 'e2e-key', event);
    }
    assert.ok(!serialized(history).includes(secret), 'the raw history contains the secret in plaintext');
    assert.ok(!JSON.stringify(history).includes(secret), 'the history JSON contains the secret in plaintext');

    // What the Web UI does with that history: send the stored payloads to the codec server to decode.
    const server = await startCodecServer({
      codec: dataConverter?.payloadCodecs?.[0] as PayloadCodec,
      port: 0,
      authToken: CODEC_TOKEN,
    });
    try {
      const res = await fetch(`${server.url}/decode`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-namespace': 'default',
          authorization: `Bearer ${CODEC_TOKEN}`,
        },
        body: JSON.stringify(payloadsToJson(payloads.map((p) => p.payload))),
      });
      assert.equal(res.status, 200);
      const decoded = (await res.json()) as { payloads: { data: string }[] };
      const started = Buffer.from(decoded.payloads[0]?.data ?? '', 'base64').toString('utf8');
      assert.deepEqual(JSON.parse(started), { secret });

      // And what the Temporal CLI does with --codec-endpoint: the decoded result only with the codec.
      const cli = await testTemporalCliPath();
      const resultArgs = [
        'workflow',
        'result',
        '-w',
        workflowId,
        '--address',
        address,
        '--namespace',
        namespace,
      ];
      const withCodec = await run(cli, [
        ...resultArgs,
        '--codec-endpoint',
        server.url,
        '--codec-auth',
        `Bearer ${CODEC_TOKEN}`,
        '--output',
        'json',
      ]);
      assert.ok(withCodec.includes(`activity saw ${secret}`), withCodec);
      const withoutCodec = await run(cli, [...resultArgs, '--output', 'json']);
      assert.ok(!withoutCodec.includes(secret), withoutCodec);
    } finally {
      await server.close();
    }

    // A client without the codec cannot read the result at all.
    await assert.rejects(
      plain.workflow.getHandle(workflowId).result(),
      /Unknown encoding: binary\/encrypted/,
    );
  });

  it('the same scan finds the secret when the input is sent without the codec', async () => {
    // Control: proves the plaintext search above would have caught a leak. The worker's codec passes
    // the unencrypted input through, and encrypts everything it writes itself.
    const secret = `marker-${crypto.randomUUID()}`;
    const workflowId = `security-plain-${crypto.randomUUID()}`;
    await plain.workflow.start('secretEcho', { taskQueue, workflowId, args: [{ secret }] });
    const decoded = await encrypting.workflow.getHandle(workflowId).result();
    assert.deepEqual(decoded, { echoed: secret, described: `activity saw ${secret}` });

    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    assert.ok(serialized(history).includes(secret), 'the plaintext input was not found in the raw history');
    const encodings = historyPayloads(history).map(
      (p) => `${p.event}=${text(p.payload.metadata?.['encoding'])}`,
    );
    assert.ok(encodings.includes('WorkflowExecutionStarted.input=json/plain'), encodings.join(', '));
    assert.ok(encodings.includes('WorkflowExecutionCompleted.result=binary/encrypted'), encodings.join(', '));
  });
});
