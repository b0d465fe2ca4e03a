/**
 * The stack `powertune demo` runs (demo.ts registers the command): a Temporal dev server with its
 * Web UI, the Lambda emulator and a worker in this process, then the tuning. Its own module, loaded
 * only when the demo runs, because the worker SDK, the emulator and the dev server take longer to
 * load than every other command needs to start.
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { startDevServer, type DevServer } from '../../infra/dev-server.js';
import { cacheDir } from '../../infra/paths.js';
import { DEFAULT_TASK_QUEUE } from '../../domain/search-attributes.js';
import { createPowerTuningWorker } from '../../worker/create-worker.js';
import { startTuning } from '../api.js';
import { webUiRunUrl } from './connect.js';
import { demoExports, type DemoOptions } from './demo.js';
import { EXIT_INTERRUPTED } from './exit.js';
import { followTuning } from './follow.js';
import { writeLine, type CliIo } from './io.js';

/**
 * The task queue `powertune run` and `npm run worker` use by default, so that with the printed
 * exports (or none but the address) every command reaches the demo's worker.
 */
const DEMO_TASK_QUEUE = DEFAULT_TASK_QUEUE;
const DEMO_REGION = 'us-east-1';

/** Points the AWS SDK's standard variables at the emulator, as one would for LocalStack. */
function useEmulator(url: string): void {
  process.env['AWS_ENDPOINT_URL_LAMBDA'] = url;
  process.env['AWS_REGION'] = DEMO_REGION;
  process.env['AWS_ACCESS_KEY_ID'] ??= 'demo';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'demo';
}

/**
 * A demo stopped while a run was going (Ctrl-C, a killed terminal, or one started from another
 * terminal under --keep) leaves it behind in the demo's database, aimed at an emulator that no
 * longer exists: terminate those before starting. The database is the demo's own, so every
 * running workflow in it is such a leftover, whichever task queue (older demos used another).
 */
async function terminateLeftovers(client: Client, say: (text: string) => void): Promise<void> {
  const query = 'ExecutionStatus = "Running"';
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
      writeLine(
        io.stdout,
        demoExports({
          address: server.address,
          namespace: server.namespace,
          taskQueue: DEMO_TASK_QUEUE,
          ...(server.uiUrl ? { uiUrl: server.uiUrl } : {}),
          emulatorUrl: emulator.url,
          region: DEMO_REGION,
        }),
      );
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
