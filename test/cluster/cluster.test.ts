/**
 * The production topology, natively (infra/cluster/, what `npm run cluster` starts): PostgreSQL,
 * the Temporal server built from source with schemas set up by its SQL tool, the Web UI server,
 * and two workers, one from the TypeScript sources and one from the compiled JavaScript the Docker
 * image runs. One cluster for the whole file; the cases run in order, each with its own fault:
 * none, a worker SIGKILLed, the Temporal server restarted, PostgreSQL restarted. Every run must
 * complete with exactly `num` counted invocations per size and leave its function as it was.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser } from 'playwright-core';
import { functionNameOf, startTuning, type StartedTuning } from '../../client/api.js';
import type { TuningOutput } from '../../domain/types.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { startTemporaryCluster, type Cluster } from '../../infra/cluster/cluster.js';
import { PROJECT_ROOT } from '../../infra/paths.js';
import { UI_SERVER_VERSION } from '../../infra/cluster/versions.js';
import { functionState, lambdaClient, type FunctionState } from '../support/function-state.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { compileWorker, type CompiledWorker } from './compiled-worker.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
CHROMIUM_ARGS.push('--disable-component-update', '--disable-sync', '--no-first-run');

/** The run's status badge: a line of its own (event names such as WorkflowTaskCompleted are not). */
const STATUS_COMPLETED = /^\s*completed\s*$/im;

const BATCH = Array.from({ length: 10 }, (_, i) => `fleet-${i}`);
// Function names of the fault cases below (three runs each).
const FAULTS = ['worker-kill', 'server-restart', 'postgres-restart'] as const;
const FAULTY = FAULTS.flatMap((f) => [0, 1, 2].map((i) => `${f}-${i}`));
const functions = writeTestFunctions(
  Object.fromEntries([
    ...BATCH.map((name) => [name, { cpuMs: 20, ioWaitMs: 20 }]),
    // Long enough invocation phases for a fault to land in them.
    ...FAULTY.map((name) => [name, { cpuMs: 30, ioWaitMs: 70 }]),
  ]),
);

interface Tuning {
  started: StartedTuning;
  before: FunctionState;
}

describe('production cluster (PostgreSQL, Temporal server, Web UI server, two workers)', () => {
  let emulator: RunningEmulator;
  let compiled: CompiledWorker;
  let cluster: Cluster;
  let connection: Connection;
  let client: Client;
  const lambda = () => lambdaClient(emulator.url);
  let firstRun: StartedTuning | undefined;

  before(async () => {
    emulator = await startEmulator({
      port: 0,
      timeScale: 1,
      functionsFile: functions.file,
      loadSamples: false,
    });
    compiled = await compileWorker();
    cluster = await startTemporaryCluster({
      workers: 2,
      // Worker 2 is the image's entry point: compiled JavaScript bundling its compiled workflows.
      workerEntry: (index) => (index === 2 ? compiled.entry : undefined),
      workerEnv: {
        AWS_ENDPOINT_URL_LAMBDA: emulator.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
      log: () => undefined,
    });
    connection = await Connection.connect({ address: cluster.address });
    client = new Client({ connection, namespace: cluster.namespace });
  });

  after(async () => {
    await connection?.close();
    await cluster?.stop();
    await emulator?.stop();
    await compiled?.remove();
  });

  async function start(name: string, num: number, powerValues: number[]): Promise<Tuning> {
    const before = await functionState(lambda(), name);
    const started = await startTuning(
      client,
      { lambdaARN: name, num, powerValues },
      { taskQueue: cluster.taskQueue, workflowId: `cluster-${name}-${Date.now()}` },
    );
    // The namespace's search attributes were registered by the cluster and are usable at once.
    assert.equal(started.searchAttributes, true, `${name}: started without the custom search attributes`);
    return { started, before };
  }

  /** Every run completes with exactly `num` per size, and its function is as it was. */
  async function expectExact(tunings: Tuning[], num: number, sizes: number): Promise<void> {
    for (const { started, before } of tunings) {
      const name = functionNameOf(started.config);
      const out = (await started.handle.result()) as TuningOutput;
      assert.deepEqual(
        out.results.map((r) => r.invocations),
        Array<number>(sizes).fill(num),
        `${name}: counted invocations per size`,
      );
      assert.deepEqual(await functionState(lambda(), name), before, `${name}: left as it was`);
    }
  }

  /** Waits until every run is invoking, a little past its start, and returns the phases seen then. */
  async function midInvocations(tunings: Tuning[]): Promise<string[]> {
    const phaseOf = async (t: Tuning) =>
      (await t.started.handle.query(progressQuery).catch(() => undefined))?.phase;
    for (let i = 0; i < 600; i++) {
      const phases = await Promise.all(tunings.map(phaseOf));
      if (phases.every((p) => p === 'invoking')) break;
      await sleep(100);
    }
    await sleep(500);
    return Promise.all(tunings.map(async (t) => (await phaseOf(t)) ?? 'unknown'));
  }

  it('ten concurrent tunings of different functions on two workers complete exactly, nothing left behind', async () => {
    const powerValues = [128, 256, 512];
    const tunings = await Promise.all(BATCH.map((name) => start(name, 10, powerValues)));
    firstRun = tunings[0]?.started;
    await expectExact(tunings, 10, powerValues.length);
    // No fault here, so the emulator saw exactly the counted invocations, no more.
    const state = await emulator.admin.state();
    for (const name of BATCH) {
      const fn = state.functions.find((f) => f.name === name);
      assert.equal(
        fn?.totals.invocations,
        10 * powerValues.length,
        `${name}: invocations the emulator served`,
      );
    }
    // Both workers, the source one and the compiled one, carried out activities.
    const identities = new Set<string>();
    for (const { started } of tunings) {
      for (const event of (await started.handle.fetchHistory()).events ?? []) {
        const identity = event.activityTaskStartedEventAttributes?.identity;
        if (identity) identities.add(identity.split('@')[0] as string);
      }
    }
    const pids = cluster.workers().map((w) => String(w.pid));
    assert.deepEqual([...identities].sort(), [...pids].sort(), 'workers that ran activities');
  });

  it('a worker SIGKILLed mid-run: the other one takes over and every run completes exactly', async () => {
    const tunings = await Promise.all([0, 1, 2].map((i) => start(`worker-kill-${i}`, 40, [128, 256])));
    assert.deepEqual(await midInvocations(tunings), ['invoking', 'invoking', 'invoking']);
    const [victim] = cluster.workers();
    assert.ok(victim);
    process.kill(-victim.pid, 'SIGKILL');
    await victim.stop();
    assert.equal(cluster.workers().length, 1);
    await expectExact(tunings, 40, 2);
    // Back to two workers for the cases that follow.
    await cluster.addWorker();
  });

  const RESTARTS = [
    { what: 'the Temporal server process', prefix: 'server-restart', of: () => cluster.server },
    { what: 'PostgreSQL', prefix: 'postgres-restart', of: () => cluster.postgres },
  ] as const;
  for (const { what, prefix, of } of RESTARTS) {
    it(`${what} restarted mid-run: every run completes exactly`, async () => {
      const tunings = await Promise.all([0, 1, 2].map((i) => start(`${prefix}-${i}`, 40, [128, 256])));
      assert.deepEqual(await midInvocations(tunings), ['invoking', 'invoking', 'invoking']);
      const before = of().service().pid;
      await of().restart();
      assert.notEqual(of().service().pid, before, `a new process of ${what}`);
      await expectExact(tunings, 40, 2);
    });
  }

  it("the worker image's build stage copies every folder the compiled worker is made of", () => {
    const copied = [
      ...fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8').matchAll(/^COPY (\w+) \.\/\1$/gm),
    ];
    const folders = copied.map((m) => m[1]);
    for (const folder of compiled.folders)
      assert.ok(folders.includes(folder), `Dockerfile copies ${folder}/`);
  });

  it('the Web UI server serves the UI of its pinned version and shows a completed run', async () => {
    const uiUrl = cluster.uiUrl;
    assert.ok(uiUrl, 'the cluster started its Web UI server');
    const settings = (await (await fetch(`${uiUrl}/api/v1/settings`)).json()) as { Version?: string };
    assert.equal(settings.Version, UI_SERVER_VERSION);
    assert.ok(firstRun, 'the first case started a run');
    const { workflowId, runId } = firstRun;
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${uiUrl}/namespaces/${cluster.namespace}/workflows/${workflowId}/${runId}/history`, {
        waitUntil: 'domcontentloaded',
      });
      let text = '';
      for (let i = 0; i < 120 && !(text.includes(workflowId) && STATUS_COMPLETED.test(text)); i++) {
        await sleep(500);
        text = await page.innerText('body', { timeout: 2000 }).catch(() => '');
      }
      assert.match(text, new RegExp(workflowId));
      assert.match(text, STATUS_COMPLETED, 'the run is shown completed');
      assert.match(text, /powerTuning/);
      const screenshots = path.join(PROJECT_ROOT, 'artifacts', 'screenshots');
      fs.mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: path.join(screenshots, 'cluster-web-ui.png') });
    } finally {
      await browser.close();
    }
  });
});
