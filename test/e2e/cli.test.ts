/**
 * The CLI end to end, as a user runs it: child processes of `powertune` against a real
 * Temporal dev server and the Lambda emulator, with a worker in this process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE } from '../../domain/search-attributes.js';
import type { TuningOutput } from '../../domain/types.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { ensureTemporalCli } from '../../infra/temporal-cli.js';
import { createPowerTuningWorker } from '../../worker/create-worker.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { runInBackground, workflowBundle, type Harness } from '../support/tuning-harness.js';
import { testTemporalAddress } from '../support/env.js';
import { LOCAL_STACK_EXPORTS } from '../support/local-exports.js';
import { ARTIFACTS, BIN, ROOT, eventually, powertune, startCliHarness } from './support.js';

const OUT = path.join(ARTIFACTS, 'e2e');
let harness: Harness;
let env: NodeJS.ProcessEnv;
const suffix = Math.random().toString(16).slice(2, 8);
const runId = `e2e-run-${suffix}`;

before(async () => {
  ({ harness, env } = await startCliHarness());
  fs.mkdirSync(OUT, { recursive: true });
});
after(async () => {
  await harness?.stop();
});

/**
 * `powertune run --detach` of a tuning that pauses 10 minutes between invocations, so it holds
 * `fn` while the test acts on it; waits until it is invoking and, unless `untilEverySizeInvoked` is
 * false, has invoked every size once (its versions and aliases then all exist).
 */
async function startHeldTuning(
  id: string,
  fn: string,
  powerValues: string,
  { untilEverySizeInvoked = true } = {},
): Promise<{ stdout: string; handle: WorkflowHandle }> {
  const started = await powertune(
    [
      'run',
      fn,
      '-n',
      '5',
      '-p',
      powerValues,
      '--sleep-between-runs-ms',
      '600000',
      '--workflow-id',
      id,
      '--detach',
    ],
    env,
  );
  assert.equal(started.code, 0, started.stderr);
  const handle = harness.client.workflow.getHandle(id);
  await eventually(async () => {
    const p = await handle.query(progressQuery);
    const invoking = p.phase === 'invoking' && (!untilEverySizeInvoked || p.sizes.every((v) => v.done >= 1));
    return invoking ? p : undefined;
  });
  return { stdout: started.stdout, handle };
}

void describe('powertune CLI against a dev server and the emulator', () => {
  let output: TuningOutput;

  void it('run: tunes to completion and --json prints exactly the workflow result', async () => {
    const r = await powertune(
      ['run', 'synthetic-cpu', '-n', '5', '-p', '128,256,512,1024', '--workflow-id', runId, '--json'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    output = JSON.parse(r.stdout) as TuningOutput;
    const fromTemporal = await harness.client.workflow.getHandle(runId).result();
    assert.deepEqual(output, fromTemporal);
    assert.equal(output.results.length, 4);
    assert.equal(output.confidence?.policy, 'adaptive', 'powertune run samples adaptively by default');
    assert.ok((output.invocationsSpent ?? 0) >= 20);
    assert.match(
      r.stderr,
      new RegExp(`Started tuning ${runId} of synthetic-cpu: 4 memory sizes × 5 invocations`),
    );
    assert.match(r.stderr, /\] (invoking|cleanup|completed)/, 'plain progress lines when not on a terminal');
    fs.writeFileSync(path.join(OUT, 'result.json'), r.stdout);
  });

  void it('result and watch: table by default, CSV with one row per memory size, JSON equal to the workflow result', async () => {
    const table = await powertune(['result', runId], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`★ ${output.power}\\b`));
    assert.match(table.stdout, /Recommended: \d+ MB/);
    const csv = await powertune(['result', runId, '--csv'], env);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0] ?? '', /^memoryMB,recommended,feasible,/);
    assert.deepEqual(
      lines.slice(1).map((l) => Number(l.split(',')[0])),
      [128, 256, 512, 1024],
    );
    const json = await powertune(['result', runId, '--json'], env);
    assert.deepEqual(JSON.parse(json.stdout), output);
    const watched = await powertune(['watch', runId, '--json'], env);
    assert.equal(watched.code, 0, watched.stderr);
    assert.deepEqual(JSON.parse(watched.stdout), output);
    // The CLI samples adaptively by default: num is the first round, contenders get more.
    assert.match(watched.stderr, /\] completed: 128 MB (\d+)\/\1/);
  });

  void it('list: finds the run by function through the search attributes', async () => {
    const row = await eventually(async () => {
      const r = await powertune(['list', '--function', 'synthetic-cpu', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      const rows = JSON.parse(r.stdout) as {
        workflowId: string;
        recommendedMemory?: number;
        status: string;
      }[];
      return rows.find((x) => x.workflowId === runId && x.recommendedMemory !== undefined);
    }, 10);
    assert.equal(row.status, 'completed', 'the same word as in the table');
    assert.equal(row.recommendedMemory, output.power);
    const table = await powertune(['list', '--function', 'synthetic-cpu'], env);
    assert.match(table.stdout.split('\n').find((l) => l.includes(runId)) ?? '', /│ completed +│/);
    const none = await powertune(['list', '--function', `no-such-function-${suffix}`, '--json'], env);
    assert.deepEqual(JSON.parse(none.stdout), []);
  });

  void it('report and compare: from a workflow ID and from a saved result file', async () => {
    const file = path.join(OUT, 'report.html');
    const report = await powertune(['report', runId, '--out', file], env);
    assert.equal(report.code, 0, report.stderr);
    const html = fs.readFileSync(file, 'utf8');
    assert.match(html, /<svg id="duration-chart"/);
    assert.match(
      html,
      /&quot;lambdaARN&quot;: &quot;synthetic-cpu&quot;/,
      'the input comes from the workflow history',
    );
    const cmp = await powertune(['compare', runId, path.join(OUT, 'result.json')], env);
    assert.equal(cmp.code, 0, cmp.stderr);
    assert.match(cmp.stdout, new RegExp(`Recommendation unchanged: ${output.power} MB`));
    assert.match(cmp.stdout, /±0\.0%/);
  });

  void it('cancel: stops a running tuning, which restores the function and deletes its versions and aliases', async () => {
    const id = `e2e-cancel-${suffix}`;
    const fn = 'synthetic-io';
    const before = (await harness.emulator.admin.state()).functions.find((f) => f.name === fn);
    assert.ok(before);
    const { stdout, handle } = await startHeldTuning(id, fn, '256,512');
    assert.equal(stdout.trim(), id);
    const during = (await harness.emulator.admin.state()).functions.find((f) => f.name === fn);
    assert.ok((during?.aliases.length ?? 0) > 0, 'the tuning created aliases');

    const cancel = await powertune(['cancel', id], env);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /cancelled; cleanup finished/);
    assert.equal((await handle.describe()).status.name, 'CANCELLED');
    const afterState = (await harness.emulator.admin.state()).functions.find((f) => f.name === fn);
    assert.deepEqual(afterState?.aliases, before.aliases);
    assert.deepEqual(
      afterState?.versions.map((v) => v.version),
      before.versions.map((v) => v.version),
    );
    assert.equal(
      afterState?.versions[0]?.configuration['MemorySize'],
      before.versions[0]?.configuration['MemorySize'],
    );

    // Cancelling it again says so once: no "Cancelling…" before it.
    const again = await powertune(['cancel', id], env);
    assert.equal(again.code, 0);
    assert.equal(again.stdout, `${id} had already ended (cancelled); nothing to cancel.\n`);
    assert.equal(again.stderr, '');
  });

  void it('cancel: warns when no worker polls the run’s task queue; a run cancelled before it started lists as cancelled', async () => {
    const id = `e2e-no-worker-${suffix}`;
    const queue = `e2e-nobody-${suffix}`;
    const fn = 'synthetic-flaky';
    const started = await powertune(
      ['run', fn, '-n', '5', '-p', '128', '--task-queue', queue, '--workflow-id', id, '--detach'],
      env,
    );
    assert.equal(started.code, 0, started.stderr);
    // The global TEMPORAL_TASK_QUEUE has a worker; the run's own queue is the one that counts.
    const cancel = await powertune(['cancel', id, '--no-wait'], env);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal(
      cancel.stderr,
      `warning: no worker is polling task queue "${queue}" in namespace "${harness.namespace}"; ` +
        'its cleanup waits until one starts (npm run worker).\n',
    );
    assert.match(cancel.stdout, new RegExp(`^Cancellation of ${id} requested`));
    const handle = harness.client.workflow.getHandle(id);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'nothing ran it yet');
    // Started after it and done before it: visibility (by close time) would list it after.
    const laterId = `e2e-later-${suffix}`;
    await (
      await harness.start({ lambdaARN: 'synthetic-fixed-50ms', num: 5, powerValues: [128] }, laterId)
    ).result();

    // A worker turns up: the run ends cancelled without having started tuning.
    const connection = await NativeConnection.connect({ address: await testTemporalAddress() });
    const worker = await createPowerTuningWorker({
      connection,
      namespace: harness.namespace,
      taskQueue: queue,
      workflowBundle: await workflowBundle(),
    });
    const polling = runInBackground(worker);
    try {
      await assert.rejects(handle.result());
    } finally {
      await polling.stop();
      await connection.close();
    }
    assert.equal((await handle.describe()).status.name, 'CANCELLED');
    const row = await eventually(async () => {
      const r = await powertune(['list', '--function', fn, '--json'], env);
      const rows = JSON.parse(r.stdout) as { workflowId: string; status: string; phase?: string }[];
      return rows.find((x) => x.workflowId === id && x.status === 'cancelled');
    }, 10);
    assert.equal(row.phase, 'cancelled', 'not the "validating" it was started with');
    const table = await powertune(['list', '--function', fn], env);
    assert.match(
      table.stdout.split('\n').find((l) => l.includes(id)) ?? '',
      new RegExp(`│ cancelled +│ ${fn} +│ cost +│ cancelled +│`),
    );
    // Every run on the server, latest started first.
    const all = await powertune(['list', '--json', '--limit', '100'], env);
    const rows = JSON.parse(all.stdout) as { workflowId: string; startTime: string }[];
    const starts = rows.map((r) => Date.parse(r.startTime));
    assert.ok(starts.length >= 4, all.stderr);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => b - a),
    );
    // Other test files share the server and may have started runs since: keep this file's own.
    assert.deepEqual(
      rows
        .filter((r) => r.workflowId.endsWith(suffix))
        .slice(0, 2)
        .map((r) => r.workflowId),
      [laterId, id],
    );
  });

  void it('cleanup: --dry-run lists what a terminated tuning left, then cleanup puts the function back', async () => {
    const id = `e2e-stranded-${suffix}`;
    const fn = 'synthetic-parallel';
    const lambda = lambdaClient(harness.emulator.url);
    const before = await functionState(lambda, fn);
    // 128 MB is the function's own size: a tuning measures it anyway (the baseline).
    const { handle } = await startHeldTuning(id, fn, '128,512');
    // Terminated, the tuning never runs its cleanup: lock, versions and aliases stay.
    await handle.terminate('e2e: stranding the function');
    const stranded = await functionState(lambda, fn);
    assert.ok(stranded.aliases.some((a) => a.name === 'power-tuning-lock'));
    // `run` samples adaptively, so each size has three aliases, one per environment.
    assert.equal(stranded.aliases.filter((a) => a.name.startsWith('ptune-')).length, 6);

    const refused = await powertune(['run', fn, '-n', '5', '-p', '128'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`powertune cleanup ${fn}`));

    const dry = await powertune(['cleanup', fn, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run: nothing was changed\./);
    assert.match(
      dry.stdout,
      new RegExp(`lock power-tuning-lock of tuning workflow ${id} \\(run [0-9a-f]{8}, terminated\\)`),
    );
    assert.match(
      dry.stdout,
      /delete 6 aliases: ptune-([0-9a-f]{8})-128, ptune-\1-128-0, ptune-\1-128-1, ptune-\1-512, ptune-\1-512-0, ptune-\1-512-1/,
    );
    assert.match(dry.stdout, /delete 7 versions: .*\(the lock's snapshot\)/);
    assert.match(dry.stdout, /release the lock/);
    assert.deepEqual(await functionState(lambda, fn), stranded, '--dry-run changes nothing');

    const done = await powertune(['cleanup', fn], env);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, new RegExp(`^Cleaned up ${fn}:`));
    assert.match(done.stdout, /deleted 6 aliases: /);
    assert.match(done.stdout, /deleted 7 versions: /);
    assert.match(done.stdout, /released the lock/);
    assert.deepEqual(await functionState(lambda, fn), before);

    const again = await powertune(['cleanup', fn, '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout) as {
      aliases: string[];
      versions: string[];
      releasedLock: boolean;
    };
    assert.deepEqual([report.aliases, report.versions, report.releasedLock], [[], [], false]);
    const nothing = await powertune(['cleanup', fn], env);
    assert.match(nothing.stdout, new RegExp(`^Nothing to clean up on ${fn}`));

    const bad = await powertune(['cleanup', 'not a function!'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"<function>": "not a function!" is not a Lambda function name or ARN/);
  });

  void it('cleanup refuses (exit 1) while the tuning holding the function runs', async () => {
    const id = `e2e-busy-${suffix}`;
    const fn = 'synthetic-fixed-50ms';
    const { handle } = await startHeldTuning(id, fn, '256', { untilEverySizeInvoked: false });
    const r = await powertune(['cleanup', fn], env);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`error: cleanup of ${fn} refused: A tuning is running on ${fn} \\(workflow ${id}\\)`),
    );
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    const cancel = await powertune(['cancel', id], env);
    assert.equal(cancel.code, 0, cancel.stderr);
  });

  void it('a tuning that fails exits 1 with the reason', async () => {
    const r = await powertune(['run', 'synthetic-oom', '-n', '5', '-p', '128,256'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /error: tuning powertune-synthetic-oom-[0-9a-f]{6} failed: .*No memory size could be measured/,
    );
    assert.equal(r.stdout, '');
  });

  void it('bad flags exit 2 with a message naming the flag, before anything starts', async () => {
    const r = await powertune(['run', 'synthetic-cpu', '--num', '2', '--power-values', '128,99999'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--num: 2 is out of range/);
    assert.match(r.stderr, /--power-values: /);
    assert.doesNotMatch(r.stderr, /Started tuning/);
    const unknown = await powertune(['watch', `no-such-run-${suffix}`], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no tuning with workflow ID "no-such-run-/);
  });

  void it('npx powertune --help works in the repository', async () => {
    const r = await powertune(['--help'], env, { command: ['npx', '--no-install', 'powertune'] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Usage: powertune \[options\] \[command\]/);
  });
});

/** Lines printed by a child process so far, and its end. */
interface Child {
  stderr(): string;
  /** Resolves once stdout matches, rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<string>;
  closed: Promise<number | null>;
}

function startChild(args: string[], env: NodeJS.ProcessEnv): Child & { stop(): Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    for (const w of waiters) w();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let ended = false;
  void closed.then(() => {
    ended = true;
    for (const w of waiters) w();
  });
  return {
    stderr: () => err,
    closed,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) resolve(out);
          else if (ended) reject(new Error(`exited before printing ${pattern}; stderr:\n${err}`));
        };
        waiters.push(check);
        check();
      }),
    // Ctrl-C as a user would; a demo that does not stop is killed, and the test fails on its code.
    async stop() {
      if (!ended) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      try {
        return await closed;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

void describe('powertune demo --keep', () => {
  void it('prints the exports with which powertune run, from another terminal, reaches the demo’s worker', async () => {
    // Its own cache (database, logs), so a developer's .cache/demo is left alone.
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-demo-'));
    const temporalCli = process.env['TEMPORAL_CLI_PATH'] ?? (await ensureTemporalCli());
    // "Another terminal": nothing about Temporal in it but what the demo prints.
    const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const key of Object.keys(base)) if (/^(TEMPORAL_|AWS_)/.test(key)) delete base[key];
    delete base['FORCE_COLOR'];
    const demo = startChild(['demo', '--function', 'synthetic-fixed-50ms', '-n', '5', '--keep'], {
      ...base,
      PT_CACHE_DIR: cache,
      TEMPORAL_CLI_PATH: temporalCli,
    });
    let code: number | null;
    try {
      const out = await demo.waitFor(/^# then, for example: .*$/m);
      const exported = Object.fromEntries(
        [...out.matchAll(/^export ([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
      );
      assert.deepEqual(Object.keys(exported), [...LOCAL_STACK_EXPORTS]);
      assert.equal(
        exported['TEMPORAL_TASK_QUEUE'],
        DEFAULT_TASK_QUEUE,
        'the queue powertune run uses by default',
      );
      assert.match(exported['TEMPORAL_ADDRESS'] ?? '', /^127\.0\.0\.1:\d+$/);
      assert.match(exported['TEMPORAL_UI_URL'] ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(exported['AWS_ENDPOINT_URL_LAMBDA'] ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);

      const terminal = { ...base, ...exported };
      const run = await powertune(
        ['run', 'synthetic-fixed-50ms', '-n', '5', '-p', '128,256', '--fixed', '--json'],
        terminal,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /no worker is polling/);
      assert.equal((JSON.parse(run.stdout) as TuningOutput).results.length, 2);
      // TEMPORAL_UI_URL is read: the run's link points at the demo's Web UI.
      assert.ok(run.stderr.includes(`Web UI: ${exported['TEMPORAL_UI_URL']}/namespaces/default/workflows/`));

      const list = await powertune(['list', '--json'], terminal);
      const rows = JSON.parse(list.stdout) as { status: string; taskQueue: string }[];
      assert.deepEqual(
        rows.map((r) => [r.status, r.taskQueue]),
        [
          ['completed', DEFAULT_TASK_QUEUE],
          ['completed', DEFAULT_TASK_QUEUE],
        ],
        'the run above and the demo’s own',
      );
    } finally {
      code = await demo.stop();
      fs.rmSync(cache, { recursive: true, force: true });
    }
    assert.equal(code, 0, `the demo stops cleanly on Ctrl-C; stderr:\n${demo.stderr()}`);
    assert.match(
      demo.stderr(),
      /Keeping the dev server, emulator and worker running; press Ctrl-C to stop\./,
    );
  });
});
