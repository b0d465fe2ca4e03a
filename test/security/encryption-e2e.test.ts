/**
 * End to end on a real Temporal dev server: with the codec on both client and worker, the history
 * the server stores holds only `binary/encrypted` payloads (no plaintext of the input, the activity's
 * arguments or the result), while a client with the codec, the codec server (as the Web UI uses it)
 * and the real `temporal` CLI with `--codec-endpoint` still read them. A failed tuning's failure
 * messages and stack traces are encrypted too, and the typed client still reads them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { PowerTuningWorkflow } from '../../client/api.js';
import { bundleConverterOptions, dataConverterFromEnv } from '../../codec/data-converter.js';
import { payloadsToJson, startCodecServer } from '../../codec/server.js';
import { POWER_TUNING_WORKFLOW } from '../../domain/workflow-api.js';
import { quietBundleLogger } from '../../infra/quiet-logger.js';
import { testTemporalAddress, testTemporalCliPath, testTemporalNamespace } from '../support/env.js';
import { failureChainText } from '../support/failure-text.js';
import { writeTestFunctions } from '../support/functions-file.js';
import {
  installTestLogger,
  runInBackground,
  startHarness,
  type BackgroundWorker,
  type Harness,
} from '../support/tuning-harness.js';
import { secretEchoActivities } from './fixtures/secret-echo-activities.js';

const { temporal } = proto;
type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

const WORKFLOW_PATH = fileURLToPath(new URL('./fixtures/secret-echo-workflow.ts', import.meta.url));

const CODEC_TOKEN = 'e2e-codec-token';

// One key for the whole file, in the environment too: the tuning harness's worker and workflow
// bundle take their data converter from there, as `npm run worker` does.
const KEY = crypto.randomBytes(32).toString('base64');
const KEY_ENV = { PT_CODEC_KEY: KEY, PT_CODEC_KEY_ID: 'e2e-key' };
Object.assign(process.env, KEY_ENV);
// The harness installs the SDK runtime too, so this file installs it through the harness, once.
installTestLogger(new DefaultLogger('WARN'));

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
  const dataConverter = dataConverterFromEnv(KEY_ENV);
  const taskQueue = `security-codec-${crypto.randomUUID()}`;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let encrypting: Client;
  let plain: Client;
  let polling: BackgroundWorker | undefined;
  let address: string;
  let namespace: string;

  before(async () => {
    assert.ok(dataConverter, 'codec keys were not picked up');
    address = await testTemporalAddress();
    namespace = await testTemporalNamespace();
    nativeConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: WORKFLOW_PATH,
        logger: quietBundleLogger,
        ...bundleConverterOptions(dataConverter),
      }),
      activities: secretEchoActivities(),
      dataConverter,
    });
    polling = runInBackground(worker);
    connection = await Connection.connect({ address });
    encrypting = new Client({ connection, namespace, dataConverter });
    plain = new Client({ connection, namespace });
  });

  after(async () => {
    await polling?.stop();
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

/** A function that declines its input, quoting the secret in its error message (and so its stack). */
const DECLINING_HANDLER = `
export const handler = async (event) => {
  const error = new Error('declined ' + event.secret);
  error.name = 'Declined';
  throw error;
};
`;

type Failure = proto.temporal.api.failure.v1.IFailure;

/** Every failure recorded in the history, causes included. */
function historyFailures(history: History): { event: string; failure: Failure }[] {
  const found: { event: string; failure: Failure }[] = [];
  for (const e of history.events ?? []) {
    const roots: [string, Failure | null | undefined][] = [
      ['WorkflowExecutionFailed', e.workflowExecutionFailedEventAttributes?.failure],
      ['ActivityTaskFailed', e.activityTaskFailedEventAttributes?.failure],
      ['WorkflowTaskFailed', e.workflowTaskFailedEventAttributes?.failure],
    ];
    for (const [event, root] of roots) for (let f = root; f; f = f.cause) found.push({ event, failure: f });
  }
  return found;
}

describe('failure encryption end to end', () => {
  const dataConverter = dataConverterFromEnv(KEY_ENV);
  const dir = join(mkdtempSync(join(tmpdir(), 'pt-declining-')), 'declining');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.mjs'), DECLINING_HANDLER);
  const functions = writeTestFunctions({}, { declining: { code: 'recorder' } }, { declining: { code: dir } });
  let h: Harness;
  let encrypting: Client;
  let plain: Client;

  before(async () => {
    // The harness's worker and bundle read the key from the environment set above.
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
    encrypting = new Client({ connection: h.client.connection, namespace: h.namespace, dataConverter });
    plain = h.client;
  });
  after(async () => h?.stop());

  it("stores a failed tuning's failure messages and stack traces encrypted; the codec client reads them", async () => {
    const secret = `declined-${crypto.randomUUID()}`;
    const workflowId = `security-failure-${crypto.randomUUID()}`;
    const handle = await encrypting.workflow.start<PowerTuningWorkflow>(POWER_TUNING_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ lambdaARN: 'declining', num: 5, powerValues: [128], payload: { secret } }],
    });

    // The typed client with the codec decodes the real message, as before encryption.
    let seen = '';
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      seen = failureChainText(err);
      return true;
    });
    assert.ok(seen.includes(`declined ${secret}`), seen);
    assert.match(seen, /original error type: "Declined"/);

    // The server stores "Encoded failure" and an encrypted payload instead.
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    const failures = historyFailures(history);
    assert.ok(
      failures.some((f) => f.event === 'WorkflowExecutionFailed'),
      'the run failed',
    );
    for (const { event, failure } of failures) {
      assert.equal(failure.message, 'Encoded failure', event);
      assert.equal(failure.stackTrace ?? '', '', event);
      assert.equal(text(failure.encodedAttributes?.metadata?.['encoding']), 'binary/encrypted', event);
    }
    assert.ok(!serialized(history).includes(secret), 'the raw history contains the failure in plaintext');
    assert.ok(
      !JSON.stringify(history).includes(secret),
      'the history JSON contains the failure in plaintext',
    );
  });
});
