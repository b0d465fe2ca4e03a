/** `powertune run`: validate the input, start the tuning, show progress, print the result. */
import type { Client } from '@temporalio/client';
// From common, where the client re-exports it from: the client package loads too slowly for start-up.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Command } from 'commander';
import { functionNameOf, startTuning, type StartedTuning } from '../api.js';
import type { TemporalSettings } from '../../connection/temporal-settings.js';
import type { GlobalOptions } from './connect.js';
import { withClient } from './connect.js';
import { globalsOf, uiUrlOf, type CommandContext } from './context.js';
import { EXIT_OK, UsageError } from './exit.js';
import { followTuning } from './follow.js';
import { addInputOptions, inputFromOptions, validateCliInput } from './input-flags.js';
import { writeLine, type CliIo } from './io.js';
import { checkOutputOptions } from './output.js';
import { webUiRunUrl } from './connect.js';
import type { PowerTuningInput, TuningConfig } from '../../domain/types.js';

/** Workflow task queue type in the Temporal API (TASK_QUEUE_TYPE_WORKFLOW). */
const WORKFLOW_TASK_QUEUE = 1;

/** Whether a worker polled the task queue recently (a warning only: the run waits for one). */
export async function hasWorker(client: Client, taskQueue: string): Promise<boolean | undefined> {
  try {
    const res = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: WORKFLOW_TASK_QUEUE,
    });
    return (res.pollers?.length ?? 0) > 0;
  } catch {
    return undefined;
  }
}

/**
 * Warns on stderr when no worker polls `taskQueue`, saying what waits for one (`waiting`, e.g.
 * "the tuning waits"). Used by every command that needs a worker to act.
 */
export async function warnIfNoWorker(
  io: CliIo,
  client: Client,
  taskQueue: string,
  waiting: string,
): Promise<void> {
  if ((await hasWorker(client, taskQueue)) !== false) return;
  writeLine(
    io.stderr,
    `warning: no worker is polling task queue "${taskQueue}" in namespace "${client.options.namespace}"; ` +
      `${waiting} until one starts (npm run worker).`,
  );
}

export function registerRun(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('run')
    .summary('start a tuning, show its progress, print the result')
    .description(
      'Validates the input (with the same rules as the workflow), starts a tuning, shows its progress and prints the result.\n' +
        'Exit codes: 0 success, 1 tuning failed, 2 bad usage or input. A tuning whose constraints no size meets ' +
        'completes (0) without a recommendation: its output has "power": null and the table says why.',
    )
    .argument('[function]', 'function name, ARN or partial ARN (same as --lambda-arn)');
  addInputOptions(cmd);
  cmd
    .optionsGroup('Run options:')
    .option('--workflow-id <id>', 'workflow ID (default powertune-<function>-<random>)')
    .option('--detach', 'print the workflow ID once started and exit, without waiting')
    .option('-q, --quiet', 'no progress display')
    .option('--json', 'print exactly the workflow output as JSON')
    .option('--csv', 'print one CSV row per memory size')
    .option('--report <file>', 'also write the HTML report to this file')
    .option('--fixed', 'sample the original’s fixed grid (num per size) instead of adaptively')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  powertune run my-function --num 20 --power-values 128,256,512,1024\n' +
        '  powertune run --input tuning.json --strategy balanced --balanced-weight 0.3\n' +
        '  powertune run my-function -n 50 --json > result.json',
    )
    .action(async (fn: string | undefined, opts: Record<string, unknown>, command: Command) => {
      const { io } = ctx;
      const cli = await inputFromOptions(opts, io, fn);
      applyAdaptiveDefault(cli.input, opts['fixed'] === true);
      const config = validateCliInput(cli);
      checkOutputOptions(opts);
      const globals = globalsOf(command);
      ctx.exitCode = await withClient(globals, io, async ({ client, settings }) => {
        const started = await startFromCli(io, client, settings, globals, cli.input, config, opts);
        if (opts['detach']) {
          writeLine(io.stdout, started.workflowId);
          writeLine(io.stderr, `Follow it: powertune watch ${started.workflowId}`);
          return EXIT_OK;
        }
        return followTuning(io, client, started.handle, {
          quiet: Boolean(opts['quiet']),
          json: Boolean(opts['json']),
          csv: Boolean(opts['csv']),
          ...(typeof opts['report'] === 'string' ? { report: opts['report'] } : {}),
          input: cli.input,
        });
      });
    });
}

/**
 * Starts a tuning for a command that takes the input options (`run`, `check`): warns when no
 * worker polls, says what started on stderr, with its Web UI link.
 */
export async function startFromCli(
  io: CliIo,
  client: Client,
  settings: TemporalSettings,
  globals: GlobalOptions,
  input: PowerTuningInput,
  config: TuningConfig,
  opts: Record<string, unknown>,
): Promise<StartedTuning> {
  await warnIfNoWorker(io, client, settings.taskQueue, 'the tuning waits');
  let started: StartedTuning;
  try {
    started = await startTuning(client, input, {
      taskQueue: settings.taskQueue,
      ...(typeof opts['workflowId'] === 'string' ? { workflowId: opts['workflowId'] } : {}),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new UsageError(
        `--workflow-id: a tuning with ID "${String(opts['workflowId'])}" is already running`,
      );
    }
    throw err;
  }
  writeLine(
    io.stderr,
    `Started tuning ${started.workflowId} of ${functionNameOf(config)}: ${config.powerValues.length} memory sizes × ${config.num} invocations, strategy ${config.strategy}`,
  );
  const link = webUiRunUrl(settings, started.workflowId, started.runId, uiUrlOf(globals, io));
  if (link) writeLine(io.stderr, `Web UI: ${link}`);
  return started;
}

/**
 * The CLI samples adaptively by default (confidence 0.95): a person at a terminal wants a settled
 * answer. The workflow itself keeps the original's fixed grid unless the input asks otherwise.
 */
export function applyAdaptiveDefault(input: PowerTuningInput, fixed: boolean): void {
  if (fixed || input.confidence !== undefined || input.onlyColdStarts === true || input.dryRun === true)
    return;
  input.confidence = DEFAULT_CLI_CONFIDENCE;
}

export const DEFAULT_CLI_CONFIDENCE = 0.95;
