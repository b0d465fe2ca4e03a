/**
 * Invoke through the official SDK: Lambda's log tail in Text and JSON formats, cold and warm
 * starts, executed version and alias routing, function errors, out-of-memory and timeouts,
 * and the billing counters of the admin API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import {
  decodeLog,
  functionsFile,
  handlerDir,
  json,
  lambdaClient,
  payloadJson,
  reportOf,
  setMemory,
} from './helpers.js';

const REPORT_LINE =
  /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d{2} ms\t)?$/;

void describe('emulator invoke', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    const file = functionsFile([
      {
        name: 'logger',
        code: handlerDir(
          "export const handler = async (event) => { console.log('hello', event.who); return { hi: event.who }; };",
        ),
      },
      {
        name: 'chatty',
        code: handlerDir(
          "export const handler = async () => { for (let i = 0; i < 400; i++) console.log('line %d %s', i, 'x'.repeat(40)); return 1; };",
        ),
      },
      {
        name: 'thrower',
        code: handlerDir("export const handler = async () => { throw new TypeError('bad thing'); };"),
      },
      { name: 'broken-import', code: handlerDir("throw new Error('cannot load config');") },
      { name: 'no-handler', code: handlerDir('export const other = () => 1;') },
      {
        name: 'raw-writer',
        code: handlerDir(
          "export const handler = async () => { process.stdout.write('raw output\\n'); return 'ok'; };",
        ),
      },
      { name: 'versioned', synthetic: { cpuMs: 177, coldStartMs: 30 } },
      { name: 'billed', synthetic: { cpuMs: 0, ioWaitMs: 50 }, memorySize: 1024 },
    ]);
    emu = await startEmulator({ port: 0, timeScale: 0, functionsFile: file, updateDelayMs: 20 });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it('returns the Text log tail: START, the function output, END and REPORT, with Init Duration only when cold', async () => {
    const first = await lambda.send(
      new InvokeCommand({ FunctionName: 'logger', LogType: 'Tail', Payload: json({ who: 'ana' }) }),
    );
    assert.equal(first.StatusCode, 200);
    assert.equal(first.ExecutedVersion, '$LATEST');
    assert.equal(first.FunctionError, undefined);
    assert.deepEqual(payloadJson(first), { hi: 'ana' });
    const lines = decodeLog(first).replace(/\n$/, '').split('\n');
    assert.match(
      lines[0] ?? '',
      /^INIT_START Runtime Version: nodejs:20\.\S+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:/,
    );
    assert.match(lines[1] ?? '', /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    assert.match(lines[2] ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\thello ana$/);
    assert.match(lines[3] ?? '', /^END RequestId: [0-9a-f-]{36}$/);
    assert.match(lines[4] ?? '', REPORT_LINE);
    const cold = reportOf(decodeLog(first));
    assert.ok(cold.init !== undefined && cold.init > 0);
    // Since August 2025 Lambda bills the INIT phase too.
    assert.equal(cold.billed, Math.ceil(cold.duration + (cold.init ?? NaN)));
    assert.equal(cold.memory, 128);

    const second = await lambda.send(
      new InvokeCommand({ FunctionName: 'logger', LogType: 'Tail', Payload: json({ who: 'bo' }) }),
    );
    const warmLog = decodeLog(second);
    assert.ok(!warmLog.includes('INIT_START'));
    assert.equal(reportOf(warmLog).init, undefined);
    const ids = new Set([...decodeLog(first).matchAll(/RequestId: ([0-9a-f-]{36})/g)].map((m) => m[1]));
    assert.equal(ids.size, 1, 'one request id per invocation log');

    const silent = await lambda.send(
      new InvokeCommand({ FunctionName: 'logger', Payload: json({ who: 'cy' }) }),
    );
    assert.equal(silent.LogResult, undefined, 'no log without LogType Tail');
  });

  void it('returns JSON platform records for a function whose LogFormat is JSON', async () => {
    const parse = (
      log: string,
    ): { type?: string; level?: string; record?: { metrics?: Record<string, number> } }[] =>
      log
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type?: string; level?: string });
    const first = parse(
      decodeLog(await lambda.send(new InvokeCommand({ FunctionName: 'json-logger', LogType: 'Tail' }))),
    );
    assert.deepEqual(
      first.map((r) => r.type ?? r.level),
      ['platform.initStart', 'platform.start', 'INFO', 'WARN', 'platform.report'],
    );
    const metrics = first.at(-1)?.record?.metrics ?? {};
    assert.deepEqual(Object.keys(metrics).sort(), [
      'billedDurationMs',
      'durationMs',
      'initDurationMs',
      'maxMemoryUsedMB',
      'memorySizeMB',
    ]);
    assert.equal(
      metrics.billedDurationMs,
      Math.ceil((metrics.durationMs ?? NaN) + (metrics.initDurationMs ?? NaN)),
    );
    assert.equal(metrics.memorySizeMB, 128);

    const second = parse(
      decodeLog(await lambda.send(new InvokeCommand({ FunctionName: 'json-logger', LogType: 'Tail' }))),
    );
    assert.equal(second[0]?.type, 'platform.start');
    assert.equal(second.at(-1)?.record?.metrics?.initDurationMs, undefined);
  });

  void it('keeps only the last 4 KB of a long log, cut from the start', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'chatty', LogType: 'Tail' }));
    const tail = Buffer.from(out.LogResult ?? '', 'base64');
    assert.equal(tail.length, 4096);
    const text = tail.toString('utf8');
    assert.ok(!text.includes('START RequestId'), 'the start of the log was cut');
    assert.ok(text.includes('line 399 '));
    assert.match(text.replace(/\n$/, '').split('\n').at(-1) ?? '', REPORT_LINE);
  });

  void it('answers a function error with 200, X-Amz-Function-Error and the error JSON', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'thrower', LogType: 'Tail' }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const error = payloadJson(out) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'bad thing');
    assert.ok(Array.isArray(error.trace));
    assert.equal(error.trace[0], 'TypeError: bad thing');
    assert.match(
      decodeLog(out),
      /\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"bad thing"/,
    );
  });

  void it('reports a module that fails to load or lacks the handler the way the Node.js runtime does', async () => {
    const broken = await lambda.send(new InvokeCommand({ FunctionName: 'broken-import', LogType: 'Tail' }));
    assert.equal(broken.FunctionError, 'Unhandled');
    const brokenError = payloadJson(broken) as { errorType: string; errorMessage: string };
    assert.equal(brokenError.errorType, 'Runtime.ImportModuleError');
    assert.match(brokenError.errorMessage, /cannot load config/);
    const missing = await lambda.send(new InvokeCommand({ FunctionName: 'no-handler' }));
    const missingError = payloadJson(missing) as { errorType: string; errorMessage: string };
    assert.equal(missingError.errorType, 'Runtime.HandlerNotFound');
    assert.equal(missingError.errorMessage, 'index.handler is undefined or not exported');
  });

  void it('captures raw writes to stdout in the log', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'raw-writer', LogType: 'Tail' }));
    assert.match(decodeLog(out), /\nraw output\nEND RequestId/);
  });

  void it('runs the version an alias points to, each version in its own warm environment', async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    await setMemory(lambda, 'versioned', 1769);
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'versioned', Name: 'big', FunctionVersion: v2.Version }),
    );
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'versioned', Name: 'small', FunctionVersion: v1.Version }),
    );

    const call = async (FunctionName: string, Qualifier?: string) => {
      const out = await lambda.send(new InvokeCommand({ FunctionName, Qualifier, LogType: 'Tail' }));
      return { version: out.ExecutedVersion, ...reportOf(decodeLog(out)) };
    };
    const big1 = await call('versioned', 'big');
    assert.deepEqual([big1.version, big1.memory, big1.duration, big1.init], ['2', 1769, 177, 30]);
    const big2 = await call('versioned:big');
    assert.deepEqual([big2.version, big2.init], ['2', undefined], 'second call of the version is warm');
    const small = await call('arn:aws:lambda:us-east-1:123456789012:function:versioned:small');
    // 177 ms of CPU at 1 vCPU, with 128/1769 of a vCPU.
    assert.deepEqual([small.version, small.memory, small.duration, small.init], ['1', 128, 2446.2, 30]);
    const byNumber = await call('versioned', '1');
    assert.deepEqual(
      [byNumber.version, byNumber.init],
      ['1', undefined],
      'alias and version share environments',
    );
  });

  void it('splits calls between two versions by the alias routing weights', async () => {
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: 'versioned',
        Name: 'canary',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      }),
    );
    const versions: string[] = [];
    for (let i = 0; i < 40; i++) {
      versions.push(
        (await lambda.send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: 'canary' })))
          .ExecutedVersion ?? '',
      );
    }
    const toTwo = versions.filter((v) => v === '2').length;
    assert.equal(versions.filter((v) => v === '1').length + toTwo, 40);
    assert.ok(toTwo > 5 && toTwo < 35, `${toTwo} of 40 calls went to version 2`);
  });

  void it('starts a new environment (cold) after $LATEST changes', async () => {
    await lambda.send(new InvokeCommand({ FunctionName: 'logger', Payload: json({ who: 'x' }) }));
    await setMemory(lambda, 'logger', 256);
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'logger', LogType: 'Tail', Payload: json({ who: 'y' }) }),
    );
    const report = reportOf(decodeLog(out));
    assert.equal(report.memory, 256);
    assert.ok(report.init !== undefined);
  });

  void it('reports an out-of-memory kill like Lambda, below the memory a function needs', async () => {
    const killed = await lambda.send(new InvokeCommand({ FunctionName: 'synthetic-oom', LogType: 'Tail' }));
    assert.equal(killed.FunctionError, 'Unhandled');
    const error = payloadJson(killed) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Runtime.ExitError');
    assert.match(
      error.errorMessage,
      /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/,
    );
    const log = decodeLog(killed);
    assert.match(log, /\nRuntime\.ExitError\n/);
    const report = reportOf(log);
    assert.equal(report.used, report.memory, 'Max Memory Used equals Memory Size');

    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'synthetic-oom', MemorySize: 512 }),
    );
    const fine = await lambda.send(new InvokeCommand({ FunctionName: 'synthetic-oom' }));
    assert.equal(fine.FunctionError, undefined);
  });

  void it('kills the real memory-hungry sample below 256 MB and runs it at 256 MB', async () => {
    await setMemory(lambda, 'memory-hungry', 128);
    const killed = await lambda.send(new InvokeCommand({ FunctionName: 'memory-hungry', LogType: 'Tail' }));
    assert.equal(killed.FunctionError, 'Unhandled');
    assert.equal((payloadJson(killed) as { errorType: string }).errorType, 'Runtime.ExitError');
    assert.equal(reportOf(decodeLog(killed)).used, 128);

    await setMemory(lambda, 'memory-hungry', 256);
    const fine = await lambda.send(new InvokeCommand({ FunctionName: 'memory-hungry', LogType: 'Tail' }));
    assert.equal(fine.FunctionError, undefined);
    assert.ok(reportOf(decodeLog(fine)).used <= 256);
  });

  void it('times out like Lambda and bills the whole timeout', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'synthetic-timeout', LogType: 'Tail' }));
    assert.equal(out.FunctionError, 'Unhandled');
    const error = payloadJson(out) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Sandbox.Timedout');
    assert.match(error.errorMessage, /Task timed out after 3\.00 seconds$/);
    const log = decodeLog(out);
    assert.match(log, /Task timed out after 3\.00 seconds\n/);
    const report = reportOf(log);
    assert.deepEqual([report.duration, report.billed], [3000, 3000]);
  });

  void it('counts invocations and billed GB-seconds per version, surviving version deletion in the totals', async () => {
    await emu.admin.resetCounters();
    for (let i = 0; i < 4; i++) await lambda.send(new InvokeCommand({ FunctionName: 'billed' }));
    const state = await emu.admin.state();
    const billed = state.functions.find((f) => f.name === 'billed');
    const latest = billed?.versions.find((v) => v.version === '$LATEST');
    assert.equal(latest?.stats.invocations, 4);
    assert.equal(latest?.stats.coldStarts, 1);
    assert.equal(latest?.stats.billedMs, 200);
    assert.ok(Math.abs((latest?.stats.billedGbSeconds ?? 0) - 0.2) < 1e-9);
    assert.equal(state.totals.invocations, 4);
  });

  void it('accepts Event and DryRun invocation types', async () => {
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'billed', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
    const invocations = async (): Promise<number> =>
      (await emu.admin.state()).functions.find((f) => f.name === 'billed')?.totals.invocations ?? NaN;
    const before = await invocations();
    const event = await lambda.send(new InvokeCommand({ FunctionName: 'billed', InvocationType: 'Event' }));
    assert.equal(event.StatusCode, 202);
    // The asynchronous call runs in the background; wait (bounded) until it is counted.
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await invocations();
    }
    assert.equal(after, before + 1, 'DryRun runs nothing, Event runs once');
  });
});
