/**
 * `powertune fleet`: tune many functions, each in its own tuning run, a few at a time per account
 * and region. `fleet run` selects them (--prefix, --functions or --tag), takes the same tuning
 * flags as `run` and follows every function; `fleet watch` follows a fleet again; `fleet report`
 * writes its HTML report.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Command } from 'commander';
import { describeSelection } from '../../domain/fleet-plan.js';
import type { FleetOutput } from '../../domain/fleet-types.js';
import { isPlainObject } from '../../domain/json.js';
import {
  awaitFleetResult,
  getFleetHandle,
  getFleetSnapshot,
  startFleet,
  watchFleet,
  type FleetHandle,
  type FleetSnapshot,
} from '../fleet.js';
import { TuningFailedError, TuningNotFoundError } from '../errors.js';
import { makeStyle, wantsColor } from '../format/style.js';
import { renderFleetReport } from '../report/fleet-html.js';
import { settingsFor, webUiRunUrl, withClient, type GlobalOptions } from './connect.js';
import { globalsOf, uiUrlOf, type CommandContext } from './context.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK, EXIT_TUNING_FAILED, UsageError } from './exit.js';
import { fleetProgressView } from './fleet-progress.js';
import { renderFleetSummary } from './fleet-table.js';
import {
  addFleetSelectionOptions,
  fleetInputFrom,
  refuseFunctionInFleet,
  validateFleetCli,
} from './fleet-flags.js';
import { addInputOptions, inputFromOptions } from './input-flags.js';
import { writeLine, type CliIo } from './io.js';
import { readJsonFile } from './json-file.js';
import { looksLikeFile } from './load-result.js';
import { applyAdaptiveDefault, warnIfNoWorker } from './run.js';

export function registerFleet(program: Command, ctx: CommandContext): void {
  const fleet = program
    .command('fleet')
    .summary('tune many functions: each in its own tuning, a few at a time')
    .description(
      'Tunes every function of a selection (a list, a name prefix or tags), each with its own tuning run, at most ' +
        '--concurrency at a time per account and region. One function failing, or locked by another tuning, does ' +
        'not stop the others.',
    );
  registerFleetRun(fleet, ctx);
  registerFleetWatch(fleet, ctx);
  registerFleetReport(fleet, ctx);
}

function registerFleetRun(fleet: Command, ctx: CommandContext): void {
  const cmd = fleet
    .command('run')
    .summary('select functions, tune each, show their progress, print the fleet result')
    .description(
      'Validates the selection and the tuning settings (the same rules as the workflow), starts the fleet, shows each ' +
        'function as it goes and prints one row per function.\n' +
        'Exit codes: 0 every function tuned or skipped because another tuning holds it, 1 a function failed or the ' +
        'fleet failed or was cancelled, 2 bad usage or input.',
    );
  addFleetSelectionOptions(cmd, 'Selection (exactly one):');
  addInputOptions(cmd);
  // The selection names the functions; the flag stays only to be refused with a clear message.
  cmd.options.find((option) => option.long === '--lambda-arn')?.hideHelp();
  cmd
    .optionsGroup('Run options:')
    .option('--workflow-id <id>', 'workflow ID of the fleet (default powertune-fleet-<selection>-<random>)')
    .option('--detach', 'print the workflow ID once started and exit, without waiting')
    .option('-q, --quiet', 'no progress display')
    .option('--json', 'print exactly the fleet output as JSON')
    .option('--report <file>', 'also write the fleet’s HTML report to this file')
    .option('--fixed', 'sample the original’s fixed grid (num per size) instead of adaptively')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  powertune fleet run --prefix orders- --strategy cost -n 20\n' +
        '  powertune fleet run --tag team=orders --tag env=prod --concurrency 2 --invocations-per-month cloudwatch\n' +
        '  powertune fleet run --functions orders-api,orders-worker -n 10 --json > fleet.json',
    )
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const { io } = ctx;
      const cli = await inputFromOptions(opts, io);
      refuseFunctionInFleet(cli, '--lambda-arn');
      applyAdaptiveDefault(cli.input, opts['fixed'] === true);
      const input = fleetInputFrom(opts, cli.input);
      validateFleetCli(input, cli);
      const globals = globalsOf(command);
      ctx.exitCode = await withClient(globals, io, async ({ client, settings }) => {
        await warnIfNoWorker(io, client, settings.taskQueue, 'the fleet waits');
        let started;
        try {
          started = await startFleet(client, input, {
            taskQueue: settings.taskQueue,
            ...(typeof opts['workflowId'] === 'string' ? { workflowId: opts['workflowId'] } : {}),
          });
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError)
            throw new UsageError(
              `--workflow-id: a workflow with ID "${String(opts['workflowId'])}" is already running`,
            );
          throw err;
        }
        writeLine(
          io.stderr,
          `Started fleet ${started.workflowId}: ${describeSelection(started.config.selector)}, strategy ` +
            `${started.config.shared.strategy}, at most ${started.config.concurrency} tunings at once per account and region`,
        );
        const link = webUiRunUrl(settings, started.workflowId, started.runId, uiUrlOf(globals, io));
        if (link) writeLine(io.stderr, `Web UI: ${link}`);
        if (opts['detach']) {
          writeLine(io.stdout, started.workflowId);
          writeLine(io.stderr, `Follow it: powertune fleet watch ${started.workflowId}`);
          return EXIT_OK;
        }
        return followFleet(io, client, started.handle, opts, globals);
      });
    });
}

function registerFleetWatch(fleet: Command, ctx: CommandContext): void {
  fleet
    .command('watch')
    .summary('follow a fleet, then print its result')
    .description(
      'Shows each function of a fleet as it goes, then prints the fleet result. Ctrl-C stops watching; the fleet goes on.',
    )
    .argument('<workflow-id>', 'the fleet’s workflow ID (printed by fleet run)')
    .option('-q, --quiet', 'no progress display')
    .option('--json', 'print exactly the fleet output as JSON')
    .option('--report <file>', 'also write the fleet’s HTML report to this file')
    .action(async (id: string, opts: Record<string, unknown>, command: Command) => {
      const globals = globalsOf(command);
      ctx.exitCode = await withClient(globals, ctx.io, async ({ client }) => {
        const handle = getFleetHandle(client, id);
        await snapshotOrUsage(client, handle);
        return followFleet(ctx.io, client, handle, opts, globals);
      });
    });
}

function registerFleetReport(fleet: Command, ctx: CommandContext): void {
  fleet
    .command('report')
    .summary('write the HTML report of a fleet')
    .description(
      'Writes one self-contained HTML file (works offline): every function’s current size against the recommendation, ' +
        'monthly savings where the volume is known, how sure each decision is, and a link to each tuning in the Web UI ' +
        '(with --ui-url or TEMPORAL_UI_URL).',
    )
    .argument('<source>', 'a fleet’s workflow ID, or its output saved with fleet run --json')
    .option('-o, --out <file>', 'where to write the report', 'fleet.html')
    .action(async (source: string, opts: { out: string }, command: Command) => {
      const { io } = ctx;
      const globals = globalsOf(command);
      const loaded = looksLikeFile(io, source)
        ? { output: fleetOutputFromFile(await readJsonFile(io, source, 'fleet output file'), source) }
        : await loadFleet(io, globals, source);
      const file = await writeFleetReport(io, opts.out, loaded, globals);
      writeLine(io.stdout, file);
      ctx.exitCode = EXIT_OK;
    });
}

async function snapshotOrUsage(client: Client, handle: FleetHandle): Promise<FleetSnapshot> {
  try {
    return await getFleetSnapshot(client, handle);
  } catch (err) {
    if (err instanceof TuningNotFoundError)
      throw new UsageError(
        `no fleet with workflow ID "${handle.workflowId}"${err.namespace ? ` in namespace "${err.namespace}"` : ''}`,
      );
    throw err;
  }
}

/** Live progress until the fleet ends, then its result; the exit code says whether all went well. */
async function followFleet(
  io: CliIo,
  client: Client,
  handle: FleetHandle,
  opts: Record<string, unknown>,
  globals: GlobalOptions,
): Promise<number> {
  const view = fleetProgressView(io.stderr, Boolean(opts['quiet']));
  let last: FleetSnapshot | undefined;
  for await (const snapshot of watchFleet(client, handle, { signal: io.signal })) {
    last = snapshot;
    view.update(snapshot);
  }
  if (io.signal?.aborted && last?.status === 'RUNNING') {
    writeLine(
      io.stderr,
      `Stopped watching; the fleet goes on. Follow it: powertune fleet watch ${handle.workflowId}`,
    );
    writeLine(
      io.stderr,
      `Cancel it (each tuning restores its function): powertune cancel ${handle.workflowId}`,
    );
    return EXIT_INTERRUPTED;
  }
  let output: FleetOutput;
  try {
    output = await awaitFleetResult(handle);
  } catch (err) {
    if (err instanceof TuningFailedError) {
      writeLine(io.stderr, `error: fleet ${err.workflowId}: ${err.message}`);
      return EXIT_TUNING_FAILED;
    }
    throw err;
  }
  if (opts['json']) io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  else writeLine(io.stdout, renderFleetSummary(output, makeStyle(wantsColor(io.stdout, io.env))));
  if (typeof opts['report'] === 'string') {
    const file = await writeFleetReport(
      io,
      opts['report'],
      { output, workflowId: handle.workflowId, ...(last ? times(last) : {}) },
      globals,
    );
    writeLine(io.stderr, `Report written to ${file}`);
  }
  const failed = output.counts.failed + output.counts.cancelled;
  if (failed > 0) {
    writeLine(
      io.stderr,
      `${failed} of ${output.functions.length} functions were not tuned (see the reasons above).`,
    );
    return EXIT_TUNING_FAILED;
  }
  return EXIT_OK;
}

function times(s: FleetSnapshot): { startTime: Date; closeTime?: Date } {
  return s.closeTime ? { startTime: s.startTime, closeTime: s.closeTime } : { startTime: s.startTime };
}

interface LoadedFleet {
  output: FleetOutput;
  workflowId?: string;
  startTime?: Date;
  closeTime?: Date;
}

async function loadFleet(io: CliIo, globals: GlobalOptions, id: string): Promise<LoadedFleet> {
  return withClient(globals, io, async ({ client }) => {
    const handle = getFleetHandle(client, id);
    const snapshot = await snapshotOrUsage(client, handle);
    if (snapshot.status === 'RUNNING')
      throw new CliError(
        `fleet ${id} is still running; follow it with: powertune fleet watch ${id}`,
        EXIT_TUNING_FAILED,
      );
    try {
      return { output: await awaitFleetResult(handle), workflowId: id, ...times(snapshot) };
    } catch (err) {
      if (err instanceof TuningFailedError)
        throw new CliError(`fleet ${id}: ${err.message}`, EXIT_TUNING_FAILED);
      throw err;
    }
  });
}

/** A fleet output saved with `fleet run --json`. */
function fleetOutputFromFile(raw: unknown, source: string): FleetOutput {
  if (!isPlainObject(raw) || !Array.isArray(raw['functions']) || !isPlainObject(raw['counts']))
    throw new UsageError(
      `${source} is not a fleet result (expected the JSON output of fleet run, with "functions" and "counts")`,
    );
  return raw as unknown as FleetOutput;
}

async function writeFleetReport(
  io: CliIo,
  file: string,
  loaded: LoadedFleet,
  globals: GlobalOptions,
): Promise<string> {
  // Links to the runs need only the namespace and the Web UI's address, not a connection.
  const settings = await settingsFor(globals, io);
  const uiUrl = uiUrlOf(globals, io);
  const html = renderFleetReport({
    ...loaded,
    generatedAt: new Date(),
    runUrl: (workflowId, runId) => webUiRunUrl(settings, workflowId, runId, uiUrl),
  });
  const target = path.resolve(io.cwd, file);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  await fs.promises.writeFile(target, html);
  return target;
}
