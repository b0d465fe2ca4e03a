/**
 * The emulator runs code it is sent, so a web page must not be able to reach it: browser origins,
 * foreign Host names (DNS rebinding) and browser-only body types are refused before anything runs,
 * and a token, when set, is required on every request. The AWS SDK keeps working throughout.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaServiceException,
  ListFunctionsCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import {
  EmulatorAdmin,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../emulator/index.js';
import { FAST_WAITER, functionsFile, json, lambdaClient, payloadJson, zip } from './helpers.js';

const FOREIGN_ORIGIN = 'https://evil.example';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request, with full control over Host, Origin and Content-Type. */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers, timeout: 10_000, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

const errorTypeOf = (a: RawAnswer): unknown => a.headers['x-amzn-errortype'];

/** A deployment package whose handler leaves a file behind, so running it is visible. */
function markerFunctionBody(name: string, marker: string): string {
  const source = `import { writeFileSync } from 'node:fs';
export const handler = async () => { writeFileSync(${JSON.stringify(marker)}, 'ran'); return { ran: true }; };`;
  return JSON.stringify({
    FunctionName: name,
    Runtime: 'nodejs20.x',
    Role: 'arn:aws:iam::123456789012:role/x',
    Handler: 'index.handler',
    Code: { ZipFile: Buffer.from(zip({ 'index.mjs': source })).toString('base64') },
  });
}

void describe('emulator HTTP protections', () => {
  let emu: RunningEmulator;

  before(async () => {
    const file = functionsFile([{ name: 'target', synthetic: { cpuMs: 5 } }]);
    emu = await startEmulator({
      port: 0,
      timeScale: 0,
      loadSamples: false,
      functionsFile: file,
      updateDelayMs: 20,
    });
  });
  after(async () => {
    await emu?.stop();
  });

  const host = (): string => `127.0.0.1:${emu.port}`;
  /** CreateFunction of a function that leaves `marker` behind when it runs, sent as given. */
  const createMarkerFunction = (headers: Record<string, string>, name: string, marker: string) =>
    raw(emu.url, 'POST', '/2015-03-31/functions', headers, markerFunctionBody(name, marker));
  /** Invoke of `name` with an empty event, sent as given. */
  const invokeWith = (headers: Record<string, string>, name: string) =>
    raw(emu.url, 'POST', `/2015-03-31/functions/${name}/invocations`, headers, '{}');

  void it('refuses a text/plain CreateFunction and Invoke from a foreign Origin, and runs nothing', async () => {
    const marker = join(tmpdir(), `emu-marker-${randomUUID()}`);
    await emu.admin.clearEvents();
    const browserHeaders = {
      Host: host(),
      Origin: FOREIGN_ORIGIN,
      'Content-Type': 'text/plain;charset=UTF-8',
    };

    const created = await createMarkerFunction(browserHeaders, 'pwned', marker);
    assert.equal(created.status, 403);
    assert.equal(errorTypeOf(created), 'AccessDeniedException');
    assert.match(created.body, /"message":"Requests from web pages are refused/);
    const invoked = await invokeWith(browserHeaders, 'pwned');
    assert.equal(invoked.status, 403);
    const invokedExisting = await invokeWith(browserHeaders, 'target');
    assert.equal(invokedExisting.status, 403);

    const state = await emu.admin.state();
    assert.deepEqual(
      state.functions.map((f) => f.name),
      ['target'],
    );
    assert.deepEqual(await emu.admin.events(), [], 'a refused request never reaches the API');
    assert.equal(state.totals.invocations, 0, 'nothing was invoked');
    assert.equal(existsSync(marker), false);
  });

  void it('refuses browser-only body types even without an Origin, before reading the body', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const created = await createMarkerFunction(
        { Host: host(), 'Content-Type': type },
        'typed',
        join(tmpdir(), `emu-marker-${randomUUID()}`),
      );
      assert.equal(created.status, 415, type);
      assert.equal(errorTypeOf(created), 'UnsupportedMediaTypeException');
    }
    const invoked = await invokeWith({ Host: host(), 'Content-Type': 'text/plain' }, 'target');
    assert.equal(invoked.status, 415);
    const settings = await raw(
      emu.url,
      'PUT',
      '/_emulator/time-scale',
      { Host: host(), 'Content-Type': 'text/plain' },
      '{"timeScale":5}',
    );
    assert.equal(settings.status, 415);
    const state = await emu.admin.state();
    assert.deepEqual(
      state.functions.map((f) => f.name),
      ['target'],
    );
    assert.equal(state.timeScale, 0);
  });

  void it('accepts the same CreateFunction as JSON from a local client, and its code runs on Invoke', async () => {
    // The positive control: the refused requests above were valid in every other respect.
    const marker = join(tmpdir(), `emu-marker-${randomUUID()}`);
    const created = await createMarkerFunction(
      { Host: host(), 'Content-Type': 'application/json' },
      'allowed',
      marker,
    );
    assert.equal(created.status, 201, created.body);
    const lambda = lambdaClient(emu.url);
    try {
      await waitUntilFunctionActiveV2({ client: lambda, ...FAST_WAITER }, { FunctionName: 'allowed' });
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'allowed', Payload: json({}) }));
      assert.deepEqual(payloadJson(out), { ran: true });
      assert.equal(existsSync(marker), true);
    } finally {
      lambda.destroy();
    }
  });

  void it('refuses foreign Host names (DNS rebinding) and accepts the loopback names', async () => {
    for (const foreign of [
      `evil.example:${emu.port}`,
      'evil.example',
      `127.0.0.1:${emu.port + 1}`,
      `0.0.0.0:${emu.port}`,
    ]) {
      const answer = await raw(emu.url, 'GET', '/2015-03-31/functions', { Host: foreign });
      assert.equal(answer.status, 403, foreign);
      assert.equal(errorTypeOf(answer), 'AccessDeniedException');
      const admin = await raw(emu.url, 'POST', '/_emulator/reset-counters', { Host: foreign });
      assert.equal(admin.status, 403, `admin ${foreign}`);
    }
    for (const local of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `[::1]:${emu.port}`]) {
      const answer = await raw(emu.url, 'GET', '/2015-03-31/functions', { Host: local });
      assert.equal(answer.status, 200, local);
    }
  });

  void it('protects the admin API from browser origins and cross-site requests', async () => {
    const faults = await raw(
      emu.url,
      'PUT',
      '/_emulator/faults',
      { Host: host(), Origin: FOREIGN_ORIGIN, 'Content-Type': 'application/json' },
      JSON.stringify({ errorRate: 1 }),
    );
    assert.equal(faults.status, 403);
    const crossSite = await raw(emu.url, 'GET', '/_emulator/state', {
      Host: host(),
      'Sec-Fetch-Site': 'cross-site',
    });
    assert.equal(crossSite.status, 403);
    assert.deepEqual(await emu.admin.setFaults({}), { global: {}, functions: {} });
  });

  void it('serves an allowed Origin and an allowed Host name', async () => {
    const open = await startEmulator({
      port: 0,
      timeScale: 0,
      loadSamples: false,
      allowedOrigins: ['http://localhost:3000'],
      allowedHosts: ['lambda.test'],
    });
    try {
      const fromPage = await raw(open.url, 'GET', '/2015-03-31/functions', {
        Host: `127.0.0.1:${open.port}`,
        Origin: 'http://localhost:3000',
      });
      assert.equal(fromPage.status, 200);
      const named = await raw(open.url, 'GET', '/2015-03-31/functions', { Host: `lambda.test:${open.port}` });
      assert.equal(named.status, 200);
      const other = await raw(open.url, 'GET', '/2015-03-31/functions', {
        Host: `127.0.0.1:${open.port}`,
        Origin: 'http://localhost:3001',
      });
      assert.equal(other.status, 403);
    } finally {
      await open.stop();
    }
  });

  void it('refuses to listen beyond loopback without a token, and rejects a weak token', async () => {
    const refusedStart = async (opts: EmulatorOptions): Promise<string> => {
      let started: RunningEmulator;
      try {
        started = await startEmulator({ port: 0, loadSamples: false, ...opts });
      } catch (err) {
        return (err as Error).message;
      }
      await started.stop(); // it should not have started; do not leave it listening
      return assert.fail(`started on ${started.url}`);
    };
    assert.match(await refusedStart({ host: '0.0.0.0' }), /without a token/);
    assert.match(await refusedStart({ host: '::' }), /without a token/);
    assert.match(await refusedStart({ token: 'short' }), /16 to 512 characters/);
  });
});

void describe('emulator with a token', () => {
  const token = randomBytes(24).toString('hex');
  let emu: RunningEmulator;

  before(async () => {
    const file = functionsFile([{ name: 'target', synthetic: { cpuMs: 5 } }]);
    emu = await startEmulator({ port: 0, timeScale: 0, loadSamples: false, functionsFile: file, token });
  });
  after(async () => {
    await emu?.stop();
  });

  void it('refuses SDK calls signed with another access key id, and serves the token as access key id', async () => {
    const stranger = lambdaClient(emu.url);
    try {
      await assert.rejects(stranger.send(new ListFunctionsCommand({})), (err: unknown) => {
        assert.ok(err instanceof LambdaServiceException);
        assert.equal(err.name, 'UnrecognizedClientException');
        assert.equal(err.$metadata.httpStatusCode, 403);
        return true;
      });
      await assert.rejects(
        stranger.send(new InvokeCommand({ FunctionName: 'target' })),
        LambdaServiceException,
      );
    } finally {
      stranger.destroy();
    }
    assert.equal((await emu.admin.state()).totals.invocations, 0);

    const holder = lambdaClient(emu.url, 1, token);
    try {
      const fn = await holder.send(new GetFunctionCommand({ FunctionName: 'target' }));
      assert.equal(fn.Configuration?.FunctionName, 'target');
      assert.equal((await holder.send(new InvokeCommand({ FunctionName: 'target' }))).StatusCode, 200);
      await holder.send(
        new CreateFunctionCommand({
          FunctionName: 'with-token',
          Role: 'arn:aws:iam::123456789012:role/x',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: zip({ 'index.mjs': 'export const handler = async () => 1;' }) },
        }),
      );
    } finally {
      holder.destroy();
    }
  });

  void it('requires the token on the admin API, as a Bearer header', async () => {
    const base = { Host: `127.0.0.1:${emu.port}` };
    assert.equal((await raw(emu.url, 'GET', '/_emulator/state', base)).status, 403);
    assert.equal(
      (
        await raw(emu.url, 'GET', '/_emulator/state', {
          ...base,
          Authorization: 'Bearer nope-nope-nope-nope',
        })
      ).status,
      403,
    );
    const right = await raw(emu.url, 'GET', '/_emulator/state', {
      ...base,
      Authorization: `Bearer ${token}`,
    });
    assert.equal(right.status, 200);
    assert.ok((await emu.admin.state()).functions.some((f) => f.name === 'with-token'));
    await assert.rejects(new EmulatorAdmin(emu.url).state(), /403/);
  });
});
