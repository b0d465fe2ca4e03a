/**
 * A fleet end to end: 30 emulator functions with different profiles (one locked by a tuning that
 * is gone, one that no memory size can run) are tuned by one `powertune fleet run --prefix`, at
 * most 4 at a time; the worker process is SIGKILLed mid-fleet and a new one takes over. Every
 * function ends with a result, no tuning is started twice, at most 4 functions were under tuning
 * at once (read from the emulator's own event log), and every function is left exactly as it was.
 * Then `powertune fleet report` writes the report, and Chromium renders it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  waitUntilFunctionActiveV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser } from 'playwright-core';
import type { FleetOutput } from '../../domain/fleet-types.js';
import { LOCK_ALIAS, lockDescription } from '../../domain/naming.js';
import { fleetProgressQuery } from '../../domain/workflow-api.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { testTemporalAddress, testTemporalNamespace } from '../support/env.js';
import { functionState, lambdaClient, type FunctionState } from '../support/function-state.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { ARTIFACTS, cliEnv, powertune } from './support.js';

const COUNT = 30;
const CONCURRENCY = 4;
const LOCKED = 'fleet-07';
const IMPOSSIBLE = 'fleet-29';
const UI_URL = 'http://127.0.0.1:8233';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const names = Array.from({ length: COUNT }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);

/** Five kinds of code, and today's memory sizes spread over four values. */
function profileOf(i: number): Record<string, unknown> {
  if (names[i] === IMPOSSIBLE) return { cpuMs: 50, minMemoryMb: 5000, memoryUsedMb: 4000 };
  switch (i % 5) {
    case 0:
      return { cpuMs: 200 + 10 * i, ioWaitMs: 10 };
    case 1:
      return { cpuMs: 5, ioWaitMs: 80 + i };
    case 2:
      return { cpuMs: 600, threads: 4, ioWaitMs: 5 };
    case 3:
      return { cpuMs: 50, minMemoryMb: 300, memoryUsedMb: 280 };
    default:
      return { cpuMs: 100, ioWaitMs: 20, noise: { distribution: 'normal', size: 5 } };
  }
}
const memoryOf = (i: number) => [128, 256, 512, 1024][i % 4] as number;
const isIoBound = (i: number) => i % 5 === 1;

describe('fleet end to end', () => {
  let emulator: RunningEmulator;
  let lambda: LambdaClient;
  let connection: Connection;
  let client: Client;
  let env: NodeJS.ProcessEnv;
  let workerOptions: Parameters<typeof startWorkerProcess>[0];
  const workers: WorkerProcess[] = [];
  const before_ = new Map<string, FunctionState>();
  const fleetId = `fleet-e2e-${randomUUID().slice(0, 8)}`;
  let output: FleetOutput;

  before(async () => {
    emulator = await startEmulator({ port: 0, timeScale: 0, updateDelayMs: 20, loadSamples: false });
    lambda = lambdaClient(emulator.url);
    for (const [i, name] of names.entries()) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: 'arn:aws:iam::123456789012:role/fleet',
          Code: { ZipFile: Buffer.from(JSON.stringify(profileOf(i))) },
          MemorySize: memoryOf(i),
          Timeout: 60,
          Description: `fleet test function ${i}`,
          Tags: { team: 'orders' },
        }),
      );
    }
    for (const name of names) {
      await waitUntilFunctionActiveV2(
        { client: lambda, minDelay: 0.05, maxDelay: 0.1, maxWaitTime: 10 },
        { FunctionName: name },
      );
    }
    // A lock left by a tuning that no longer exists: the fleet must skip this function, untouched.
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: LOCKED,
        Name: LOCK_ALIAS,
        FunctionVersion: '$LATEST',
        Description: lockDescription({ tag: 'deadbeef', workflowId: 'a-tuning-that-is-gone' }),
      }),
    );
    for (const name of names) before_.set(name, await functionState(lambda, name));
    await emulator.admin.clearEvents();

    const address = await testTemporalAddress();
    const namespace = await testTemporalNamespace();
    const taskQueue = `fleet-e2e-${randomUUID()}`;
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace });
    env = { ...cliEnv(address, namespace, taskQueue), TEMPORAL_UI_URL: UI_URL };
    workerOptions = { address, namespace, taskQueue, lambdaEndpoint: emulator.url };
    const first = await startWorkerProcess(workerOptions);
    workers.push(first);
    await first.ready;
  });

  after(async () => {
    for (const worker of workers) await worker.kill('SIGKILL');
    lambda?.destroy();
    await connection?.close();
    await emulator?.stop();
  });

  it('tunes 30 functions with bounded concurrency through one `fleet run`, surviving a worker kill', async () => {
    const run = powertune(
      [
        'fleet',
        'run',
        '--prefix',
        'fleet-',
        '--concurrency',
        String(CONCURRENCY),
        '-n',
        '5',
        '-p',
        '128,1024',
        '--fixed',
        '--invocations-per-month',
        '1000000',
        '--workflow-id',
        fleetId,
        '--json',
      ],
      env,
      { timeoutMs: 240_000 },
    );

    // Kill the worker once a few functions are done and others are being tuned.
    const handle = client.workflow.getHandle(fleetId);
    let killedWith: { finished: number; running: number } | undefined;
    for (let i = 0; i < 1200 && !killedWith; i++) {
      const progress = await handle.query(fleetProgressQuery).catch(() => undefined);
      const states = progress?.functions.map((f) => f.state) ?? [];
      const finished = states.filter((s) => s !== 'pending' && s !== 'running').length;
      const running = states.filter((s) => s === 'running').length;
      if (finished >= 6 && running > 0) killedWith = { finished, running };
      else await sleep(100);
    }
    assert.ok(killedWith, 'the fleet never got going');
    await workers[0]?.kill('SIGKILL');
    const second = await startWorkerProcess(workerOptions);
    workers.push(second);
    await second.ready;

    const result = await run;
    // One function cannot be tuned at any size: the fleet says so with exit code 1, after the others.
    assert.equal(result.code, 1, result.stderr);
    output = JSON.parse(result.stdout) as FleetOutput;
    assert.match(result.stderr, /1 of 30 functions were not tuned/);
    assert.match(result.stderr, /fleet-01: tuned: 256 MB → 128 MB/);
    assert.match(result.stderr, new RegExp(`${LOCKED}: skipped, locked by another tuning`));

    // Every function has its result.
    assert.equal(output.functions.length, COUNT);
    assert.deepEqual(
      output.functions.map((f) => f.functionName),
      names,
    );
    assert.deepEqual(output.counts, { tuned: 28, failed: 1, locked: 1, cancelled: 0 });
    const byName = new Map(output.functions.map((f) => [f.functionName, f]));
    assert.equal(byName.get(LOCKED)?.status, 'locked');
    assert.equal(byName.get(LOCKED)?.errorType, 'StrandedTuning');
    // The child tunes the function by its ARN, so the command it names is exact.
    assert.match(
      byName.get(LOCKED)?.reason ?? '',
      /powertune cleanup arn:aws:lambda:us-east-1:123456789012:function:fleet-07`/,
    );
    assert.equal(byName.get(IMPOSSIBLE)?.status, 'failed');
    for (const [i, name] of names.entries()) {
      const f = byName.get(name);
      if (!f || f.status !== 'tuned') continue;
      assert.equal(f.currentPower, memoryOf(i), name);
      assert.ok(
        [128, 1024, memoryOf(i)].includes(f.recommendedPower as number),
        `${name}: ${f.recommendedPower}`,
      );
      assert.ok(f.confidence, `${name} has no confidence`);
      assert.equal(f.monthly?.invocationsPerMonth, 1_000_000);
      // I/O-bound code gains nothing from memory: the cheapest size wins, with its saving known.
      if (isIoBound(i)) {
        assert.equal(f.recommendedPower, 128, name);
        if (memoryOf(i) !== 128) assert.ok((f.monthly?.saving?.estimate ?? 0) > 0, `${name}: no saving`);
      }
    }
    assert.equal(output.savings[0]?.currency, 'USD');
    assert.ok((output.savings[0]?.functions ?? 0) >= 10);

    // No tuning was started twice, the kill notwithstanding: one child per function, each with one run.
    const history = await handle.fetchHistory();
    const started = (history.events ?? []).flatMap((e) => {
      const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      return id ? [id] : [];
    });
    assert.equal(started.length, COUNT);
    assert.deepEqual(new Set(started), new Set(output.functions.map((f) => f.childWorkflowId)));
    for (const f of output.functions) {
      const child = await client.workflow.getHandle(f.childWorkflowId).describe();
      assert.equal(child.runId, f.childRunId, `${f.functionName} ran more than once`);
    }

    // At most CONCURRENCY functions were under tuning at once, as Lambda saw it: a tuning holds
    // its function from creating the lock (its first alias) to deleting it.
    const events = await emulator.admin.events();
    const holding = new Set<string>();
    const locked = new Set<string>();
    let most = 0;
    for (const e of events) {
      const fn = e.functionName ?? '';
      if (e.operation === 'CreateAlias' && e.status === 201 && !locked.has(fn)) {
        locked.add(fn);
        holding.add(fn);
      }
      if (e.operation === 'DeleteAlias' && e.aliasName === LOCK_ALIAS && e.status === 204) holding.delete(fn);
      most = Math.max(most, holding.size);
    }
    assert.equal(locked.size, COUNT - 1, 'every function but the locked one was locked by its tuning');
    assert.equal(holding.size, 0, `still locked: ${[...holding].join(', ')}`);
    assert.ok(most <= CONCURRENCY, `${most} functions were under tuning at once`);
    assert.ok(most >= 2, 'the fleet never tuned two functions at once');

    // Nothing is left behind: every function is exactly as before (the locked one included).
    for (const name of names) assert.deepEqual(await functionState(lambda, name), before_.get(name), name);

    // The Web UI shows the fleet's table as its current details.
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    assert.match(
      metadata.currentDetails ?? '',
      /\*\*Fleet tuning\*\* of prefix "fleet-": phase \*\*done\*\*, 30 of 30 finished/,
    );
    assert.match(metadata.currentDetails ?? '', /fleet-07 +123456789012\/us-east-1 +locked/);
  });

  it('`fleet watch` of the finished fleet prints its table', async () => {
    assert.ok(output, 'the fleet ran');
    const r = await powertune(['fleet', 'watch', fleetId, '--quiet'], env, { timeoutMs: 60_000 });
    fs.mkdirSync(path.join(ARTIFACTS, 'e2e'), { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'e2e', 'fleet-table.txt'), r.stdout + r.stderr);
    assert.equal(r.code, 1, r.stderr);
    for (const name of names) assert.match(r.stdout, new RegExp(`│ ${name} +│`), name);
    assert.match(r.stdout, /28 tuned, 1 skipped \(locked\), 1 failed/);
    assert.match(r.stdout, /Not tuned:\n {2}- fleet-07 \(skipped: locked\)/);
  });

  it('`fleet report` writes a report that Chromium renders, with a link to every run', async () => {
    assert.ok(output, 'the fleet ran');
    const file = path.join(ARTIFACTS, 'e2e', 'fleet-report.html');
    const r = await powertune(['fleet', 'report', fleetId, '--out', file], env, { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      assert.equal(await page.title(), 'Fleet tuning report: prefix "fleet-"');
      assert.equal(await page.locator('table#fleet tbody tr[data-function]').count(), COUNT);
      assert.equal(await page.locator('table#fleet tr.locked[data-function]').count(), 1);
      assert.match(
        await page.locator('table#fleet tr.reason.locked').innerText(),
        /still locked by tuning workflow a-tuning-that-is-gone/,
      );
      assert.equal(await page.locator('table#fleet tr.failed[data-function]').count(), 1);
      assert.match(await page.locator('#summary').innerText(), /28 tuned, 1 skipped \(locked\), 1 failed/);
      assert.match(
        await page.locator('#savings').innerText(),
        /Known saving: \$[\d,.]+ a month over \d+ of 28 tuned functions/,
      );
      const io = page.locator('tr[data-function="fleet-01"]');
      assert.match(await io.innerText(), /256 MB\s+128 MB/);
      const links = page.locator('table#fleet a.run-link');
      assert.equal(await links.count(), COUNT);
      const first = output.functions[0]!;
      assert.equal(
        await links.first().getAttribute('href'),
        `${UI_URL}/namespaces/default/workflows/${encodeURIComponent(first.childWorkflowId)}/${first.childRunId}/history`,
      );
      const box = await page.locator('table#fleet').boundingBox();
      assert.ok(box && box.width > 600 && box.height > 300, `the table is drawn: ${JSON.stringify(box)}`);
      fs.mkdirSync(path.join(ARTIFACTS, 'screenshots'), { recursive: true });
      await page.screenshot({
        path: path.join(ARTIFACTS, 'screenshots', 'fleet-report.png'),
        fullPage: true,
      });
    } finally {
      await browser?.close();
    }
  });
});
