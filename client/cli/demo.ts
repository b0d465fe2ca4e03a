/**
 * `powertune demo` (also `npm run demo`): everything on this machine, nothing to configure.
 * Starts a Temporal dev server with its Web UI, the Lambda emulator and a worker in this
 * process, tunes the `cpu-bound` sample, prints the result and the run's Web UI link, then
 * stops everything (or keeps it running with --keep until Ctrl-C).
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Command } from 'commander';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { startDevServer, type DevServer } from '../../infra/dev-server.js';
import { cacheDir } from '../../infra/paths.js';
import { createPowerTuningWorker } from '../../worker/create-worker.js';
import { startTuning } from '../api.js';
import { webUiRunUrl } from './connect.js';
import type { CommandContext } from './context.js';
import { EXIT_INTERRUPTED } from './exit.js';
import { followTuning } from './follow.js';
import { parseInteger } from './input-flags.js';
import { writeLine, type CliIo } from './io.js';

const DEMO_TASK_QUEUE = 'power-tuning-demo';

export interface DemoOptions {
  function: string;
  num: number;
  keep?: boolean;
  report?: string;
}

/** Points the AWS SDK's standard variables at the emulator, as one would for LocalStack. */
function useEmulator(url: string): void {
  process.env['AWS_ENDPOINT_URL_LAMBDA'] = url;
  process.env['AWS_REGION'] = 'us-east-1';
  process.env['AWS_ACCESS_KEY_ID'] ??= 'demo';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'demo';
}

/**
 * A demo interrupted hard (second Ctrl-C, killed terminal) can leave a run behind in the demo's
 * database, aimed at an emulator that no longer exists: terminate those before starting.
 */
async function terminateLeftovers(client: Client, say: (text: string) => void): Promise<void> {
  const query = `TaskQueue = "${DEMO_TASK_QUEUE}" AND ExecutionStatus = "Running"`;
  for await (const info of client.workflow.list({ query })) {
    say(`  Terminating ${info.workflowId}, left running by an earlier demo`);
    await client.workflow
      .getHandle(info.workflowId, info.runId)
      .terminate('left over from an interrupted demo')
      .catch(() => undefined);
  }
}

function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export async function runDemo(io: CliIo, opts: DemoOptions): Promise<number> {
  const say = (text: string) => writeLine(io.stderr, text);
  const stops: (() => Promise<unknown>)[] = [];
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    // Errors only: in a demo, retries and infeasible sizes are expected and explained in the result.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
    // The AWS SDK warns about Node 20's end of support at every start: noise in a demo.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    const dbFile = cacheDir('demo', 'temporal.db');
    await fs.promises.mkdir(cacheDir('demo'), { recursive: true });
    say('Starting a Temporal dev server with its Web UI (the first run installs the Temporal CLI)…');
    const server: DevServer = await startDevServer({ headless: false, dbFile, log: () => undefined });
    stops.push(() => server.stop());
    say(`  Temporal at ${server.address}, Web UI at ${server.uiUrl ?? '(none)'}`);

    const emulator: RunningEmulator = await startEmulator({ port: 0, timeScale: 1 });
    stops.push(() => emulator.stop());
    useEmulator(emulator.url);
    say(`  Lambda emulator at ${emulator.url}`);

    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: server.namespace });
    await terminateLeftovers(client, say);

    const native = await NativeConnection.connect({ address: server.address });
    stops.push(() => native.close());
    say('  Starting a worker (bundling the workflow code)…');
    worker = await createPowerTuningWorker({
      connection: native,
      namespace: server.namespace,
      taskQueue: DEMO_TASK_QUEUE,
      warn: say,
    });
    running = worker.run();

    const input = { lambdaARN: opts.function, num: opts.num };
    const started = await startTuning(client, input, { taskQueue: DEMO_TASK_QUEUE });
    const settings = { address: server.address, namespace: server.namespace };
    const link = webUiRunUrl(settings, started.workflowId, started.runId, server.uiUrl);
    say(
      `Started tuning ${started.workflowId} of ${opts.function}: ${started.config.powerValues.length} memory sizes × ${opts.num} invocations, strategy ${started.config.strategy}`,
    );
    if (link) say(`Web UI: ${link}`);

    const code = await followTuning(io, client, started.handle, {
      input,
      interruptHint: false,
      ...(opts.report ? { report: opts.report } : {}),
    });
    if (code === EXIT_INTERRUPTED) {
      // The dev server stops with the demo; the next demo terminates the unfinished run.
      say('Stopping the demo.');
      return code;
    }
    if (link) writeLine(io.stdout, `\nSee this run in the Temporal Web UI: ${link}`);
    if (opts.keep && !io.signal?.aborted) {
      say('Keeping the dev server, emulator and worker running; press Ctrl-C to stop.');
      await waitForAbort(io.signal);
    } else if (link) {
      say(
        'The demo stops its servers now; `npx powertune demo --keep` keeps the Web UI open to explore the run.',
      );
    }
    return code;
  } finally {
    // On Ctrl-C the SDK runtime may already be shutting the worker down.
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .summary('a complete local tuning: dev server, emulator, worker, run')
    .description(
      'Runs everything locally: a Temporal dev server with its Web UI (database in .cache/demo/), the Lambda emulator and a worker; tunes a sample function, prints the result and the Web UI link of the run, then stops everything.',
    )
    .option(
      '--function <name>',
      'emulator sample to tune (cpu-bound, io-bound, memory-hungry, …)',
      'cpu-bound',
    )
    .option('-n, --num <count>', 'invocations per memory size', parseInteger, 10)
    .option('--keep', 'keep everything running after the tuning, until Ctrl-C (to explore the Web UI)')
    .option('--report <file>', 'also write the HTML report to this file')
    .action(async (opts: DemoOptions) => {
      ctx.exitCode = await runDemo(ctx.io, opts);
    });
}
