/**
 * `powertune schedule create|list|pause|unpause|delete`: tune a function at an interval and flag
 * drift between runs (client/schedules.ts, domain/drift.ts). Every flag and the tuning's input are
 * checked before anything is created.
 */
import type { Client } from '@temporalio/client';
import Table from 'cli-table3';
import type { Command } from 'commander';
import {
  checkWebhookUrl,
  MAX_MAX_REGRESSION,
  RUN_LINK_RUN_ID,
  RUN_LINK_WORKFLOW_ID,
} from '../../domain/drift.js';
import { isInputError } from '../../domain/errors.js';
import type { FleetTuningInput } from '../../domain/fleet-types.js';
import {
  createFleetSchedule,
  createTuningSchedule,
  deleteTuningSchedule,
  formatInterval,
  listTuningSchedules,
  parseInterval,
  pauseTuningSchedule,
  ScheduleExistsError,
  ScheduleNotFound,
  unpauseTuningSchedule,
  type TuningScheduleSummary,
} from '../schedules.js';
import { COMPACT } from '../format/table-style.js';
import { formatTimestamp } from '../format/time.js';
import { functionNameOf } from '../api.js';
import { DEFAULT_MAX_REGRESSION_PERCENT, parseRegression } from './check.js';
import { webUiRunUrl, withClient } from './connect.js';
import { globalsOf, uiUrlOf, type CommandContext } from './context.js';
import { EXIT_OK, UsageError } from './exit.js';
import {
  addFleetSelectionOptions,
  fleetInputFrom,
  hasFleetSelection,
  refuseFunctionInFleet,
  validateFleetCli,
} from './fleet-flags.js';
import { addInputOptions, inputFromOptions, validateCliInput, type CliInput } from './input-flags.js';
import { writeLine } from './io.js';
import { applyAdaptiveDefault, warnIfNoWorker } from './run.js';

/** Schedule ids as the Temporal CLI and Web UI take them without quoting. */
const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function usage(flag: string, read: () => void): void {
  try {
    read();
  } catch (err) {
    if (isInputError(err)) throw new UsageError(`${flag}: ${err.problem}. Accepted: ${err.accepted}.`);
    throw err;
  }
}

function checkScheduleId(id: string, flag: string): string {
  if (!SCHEDULE_ID.test(id)) {
    throw new UsageError(
      `${flag}: "${id}" is not a schedule id. Accepted: 1 to 200 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit.`,
    );
  }
  return id;
}

/** The not-found and not-ours answers of pause, unpause and delete are usage errors (exit 2). */
async function onSchedule(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof ScheduleNotFound) throw new UsageError(`${err.message}; see powertune schedule list`);
    throw err;
  }
}

export function renderScheduleList(rows: TuningScheduleSummary[], timeZone?: string): string {
  const table = new Table({
    head: ['Schedule ID', 'Function', 'Strategy', 'Every', 'State', 'Last run', 'Next run'],
    style: { head: [], border: [] },
    chars: COMPACT,
  });
  for (const r of rows) {
    table.push([
      r.scheduleId,
      r.functionName ?? '-',
      r.strategy ?? '-',
      r.every ?? '-',
      r.paused ? 'paused' : 'active',
      r.lastRunAt ? formatTimestamp(r.lastRunAt, timeZone) : '-',
      r.nextRunAt && !r.paused ? formatTimestamp(r.nextRunAt, timeZone) : '-',
    ]);
  }
  return table.toString();
}

/** --every, --max-regression, --webhook and --id, checked before anything is created. */
function scheduleOptionsFrom(opts: Record<string, unknown>): {
  every: string;
  maxRegression?: number;
  webhook?: string;
  scheduleId?: string;
} {
  const every = String(opts['every']);
  usage('--every', () => parseInterval(every));
  const maxRegression =
    typeof opts['maxRegression'] === 'string' ? parseRegression(opts['maxRegression']) : undefined;
  if (maxRegression !== undefined && maxRegression > MAX_MAX_REGRESSION) {
    throw new UsageError(
      `--max-regression: expected a percentage from 0 to ${MAX_MAX_REGRESSION * 100}%, got "${String(opts['maxRegression'])}"`,
    );
  }
  const webhook = typeof opts['webhook'] === 'string' ? opts['webhook'] : undefined;
  if (webhook !== undefined) usage('--webhook', () => checkWebhookUrl(webhook, '--webhook'));
  const scheduleId = typeof opts['id'] === 'string' ? checkScheduleId(opts['id'], '--id') : undefined;
  return {
    every,
    ...(maxRegression !== undefined ? { maxRegression } : {}),
    ...(webhook !== undefined ? { webhook } : {}),
    ...(scheduleId !== undefined ? { scheduleId } : {}),
  };
}

/** Exactly one of a function (argument, --lambda-arn or the --input file) and a fleet selection. */
function checkTarget(fn: string | undefined, opts: Record<string, unknown>, cli: CliInput): boolean {
  const fleet = hasFleetSelection(opts);
  if (fleet) {
    if (fn !== undefined)
      throw new UsageError(
        `<function> "${fn}" and --prefix, --functions or --tag are both given; give either one function or a selection`,
      );
    refuseFunctionInFleet(cli, '--lambda-arn');
    return true;
  }
  for (const flag of ['region', 'concurrency'] as const) {
    if (opts[flag] !== undefined)
      throw new UsageError(`--${flag}: only with a fleet selection (--prefix, --functions or --tag)`);
  }
  if (cli.input.lambdaARN === undefined)
    throw new UsageError(
      '<function>: missing. Accepted: a function name, ARN or partial ARN as argument (or --lambda-arn), ' +
        'or a fleet selection with --prefix, --functions or --tag',
    );
  return false;
}

function registerCreate(schedule: Command, ctx: CommandContext): void {
  const cmd = schedule
    .command('create')
    .summary('tune a function or a fleet at an interval and flag drift between runs')
    .description(
      'Creates a Temporal Schedule that tunes the function every interval (a run still going when the next is due makes ' +
        'the schedule skip that one). Each run compares its recommendation with the last completed run of the schedule and ' +
        'flags drift when the recommended size’s figures moved beyond noise (their confidence intervals no longer overlap), ' +
        'or the recommendation moved and the function’s current size is shown more than --max-regression worse than it. ' +
        'The first run has nothing to compare with. Drift shows in the TuningDrift search attribute, in ' +
        '`powertune list --drift`, and, with --webhook, as a POST to that URL (its body encrypted like every payload when ' +
        'PT_CODEC_KEY is set).\n' +
        'With a selection (--prefix, --functions or --tag) instead of a function, each run tunes the fleet, every ' +
        'function tuned in both runs is compared on its own, and the run drifts when any function does (one webhook ' +
        'POST lists the drifted functions).\n' +
        'Exit codes: 0 created, 2 bad usage or input (nothing is created).',
    )
    .argument('[function]', 'function name, ARN or partial ARN (same as --lambda-arn)');
  addFleetSelectionOptions(cmd, 'Fleet selection (instead of a function; exactly one):');
  addInputOptions(cmd);
  cmd
    .optionsGroup('Schedule options:')
    .requiredOption('--every <duration>', 'how often to tune: 30s, 15m, 12h, 7d')
    .option(
      '--max-regression <percent>',
      `drift when the recommendation moved and the current size is this much worse (default ${DEFAULT_MAX_REGRESSION_PERCENT}%)`,
    )
    .option('--webhook <url>', 'http(s) URL that receives a POST when a run drifts')
    .option(
      '--id <schedule-id>',
      'schedule id (default powertune-schedule-<function>, or powertune-schedule-fleet-<selection>)',
    )
    .option('--paused', 'create it paused (powertune schedule unpause starts it)')
    .option('--run-now', 'also run once right away: the baseline the next run compares with')
    .option('--fixed', 'sample the original’s fixed grid (num per size) instead of adaptively')
    .option('--json', 'print what was created as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  powertune schedule create my-function --every 7d --num 20 --run-now\n' +
        '  powertune schedule create my-function --every 1d --strategy speed --max-regression 5% \\\n' +
        '      --webhook https://hooks.example.com/powertune\n' +
        '  powertune schedule create --prefix orders- --concurrency 2 --every 7d --num 20 --run-now',
    )
    .action(async (fn: string | undefined, opts: Record<string, unknown>, command: Command) => {
      const { io } = ctx;
      const cli = await inputFromOptions(opts, io, fn);
      const fleet = checkTarget(fn, opts, cli);
      applyAdaptiveDefault(cli.input, opts['fixed'] === true);
      if (fleet) {
        const input = fleetInputFrom(opts, cli.input);
        validateFleetCli(input, cli);
        const scheduleOpts = scheduleOptionsFrom(opts);
        ctx.exitCode = await createFleet(ctx, command, input, scheduleOpts, opts);
        return;
      }
      const config = validateCliInput(cli);
      const { every, maxRegression, webhook, scheduleId } = scheduleOptionsFrom(opts);
      const globals = globalsOf(command);

      ctx.exitCode = await withClient(globals, io, async ({ client, settings }) => {
        const runLink = webUiRunUrl(settings, RUN_LINK_WORKFLOW_ID, RUN_LINK_RUN_ID, uiUrlOf(globals, io));
        let created;
        try {
          created = await createTuningSchedule(client, cli.input, {
            every,
            taskQueue: settings.taskQueue,
            ...(scheduleId ? { scheduleId } : {}),
            ...(maxRegression !== undefined ? { maxRegression } : {}),
            ...(webhook !== undefined ? { webhook } : {}),
            ...(runLink ? { runLink } : {}),
            paused: opts['paused'] === true,
            runNow: opts['runNow'] === true,
          });
        } catch (err) {
          throw creationRefusal(err, scheduleId, functionNameOf(config));
        }
        await warnAfterCreating(io, client, settings.taskQueue, created.searchAttributes);
        if (opts['json']) {
          writeLine(
            io.stdout,
            JSON.stringify(
              {
                scheduleId: created.scheduleId,
                functionName: functionNameOf(created.config),
                every: formatInterval(created.everyMs),
                maxRegression: created.drift.maxRegression,
                webhook: created.drift.webhook !== undefined,
                paused: opts['paused'] === true,
              },
              null,
              2,
            ),
          );
        } else {
          const name = functionNameOf(created.config);
          writeLine(
            io.stdout,
            `Created schedule ${created.scheduleId}: tunes ${name} every ${formatInterval(created.everyMs)} ` +
              `(${created.config.powerValues.length} memory sizes, strategy ${created.config.strategy}); ` +
              `drift beyond noise or more than ${Math.round(created.drift.maxRegression * 1000) / 10}% regression is flagged` +
              `${created.drift.webhook ? ' and sent to the webhook' : ''}.` +
              `${opts['paused'] ? ' It is paused: powertune schedule unpause ' + created.scheduleId + ' starts it.' : ''}`,
          );
        }
        return EXIT_OK;
      });
    });
}

/** A refused creation as the CLI reports it; anything else is passed on as it is. */
function creationRefusal(err: unknown, scheduleId: string | undefined, defaultFor: string): unknown {
  if (err instanceof ScheduleExistsError) {
    return new UsageError(
      scheduleId
        ? `--id: ${err.message}`
        : `${err.message} (the default for ${defaultFor}); give --id to create another`,
    );
  }
  if (isInputError(err)) return new UsageError(`invalid input: ${err.message}`);
  return err;
}

/** What a new schedule's runs will lack: a worker polling its queue, the custom search attributes. */
async function warnAfterCreating(
  io: CommandContext['io'],
  client: Parameters<typeof warnIfNoWorker>[1],
  taskQueue: string,
  searchAttributes: boolean,
): Promise<void> {
  await warnIfNoWorker(io, client, taskQueue, 'its runs wait');
  if (!searchAttributes) {
    writeLine(
      io.stderr,
      'warning: the namespace lacks the custom search attributes, so runs are not filtered by TuningDrift (start a worker to register them).',
    );
  }
}

/** Creates a fleet schedule (input already validated) and says what it does. */
async function createFleet(
  ctx: CommandContext,
  command: Command,
  input: FleetTuningInput,
  schedule: ReturnType<typeof scheduleOptionsFrom>,
  opts: Record<string, unknown>,
): Promise<number> {
  const { io } = ctx;
  const globals = globalsOf(command);
  return withClient(globals, io, async ({ client, settings }) => {
    const runLink = webUiRunUrl(settings, RUN_LINK_WORKFLOW_ID, RUN_LINK_RUN_ID, uiUrlOf(globals, io));
    let created;
    try {
      created = await createFleetSchedule(client, input, {
        ...schedule,
        taskQueue: settings.taskQueue,
        ...(runLink ? { runLink } : {}),
        paused: opts['paused'] === true,
        runNow: opts['runNow'] === true,
      });
    } catch (err) {
      throw creationRefusal(err, schedule.scheduleId, 'this selection');
    }
    await warnAfterCreating(io, client, settings.taskQueue, created.searchAttributes);
    if (opts['json']) {
      writeLine(
        io.stdout,
        JSON.stringify(
          {
            scheduleId: created.scheduleId,
            selection: created.selection,
            concurrency: created.config.concurrency,
            every: formatInterval(created.everyMs),
            maxRegression: created.drift.maxRegression,
            webhook: created.drift.webhook !== undefined,
            paused: opts['paused'] === true,
          },
          null,
          2,
        ),
      );
    } else {
      const shared = created.config.shared;
      writeLine(
        io.stdout,
        `Created schedule ${created.scheduleId}: tunes ${created.selection} every ${formatInterval(created.everyMs)} ` +
          `(${shared.powerValues.length} memory sizes, strategy ${shared.strategy}, at most ${created.config.concurrency} ` +
          'at once per account and region); each function’s drift beyond noise or more than ' +
          `${Math.round(created.drift.maxRegression * 1000) / 10}% regression is flagged` +
          `${created.drift.webhook ? ' and sent to the webhook' : ''}.` +
          `${opts['paused'] ? ' It is paused: powertune schedule unpause ' + created.scheduleId + ' starts it.' : ''}`,
      );
    }
    return EXIT_OK;
  });
}

function registerList(schedule: Command, ctx: CommandContext): void {
  schedule
    .command('list')
    .summary('list the tuning schedules')
    .description('Lists the schedules this tool created (those that start scheduledTuning runs), by id.')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const { io } = ctx;
      ctx.exitCode = await withClient(globalsOf(command), io, async ({ client }) => {
        const rows = await listTuningSchedules(client);
        if (opts.json) writeLine(io.stdout, JSON.stringify(rows, null, 2));
        else if (rows.length === 0) writeLine(io.stderr, 'No tuning schedules.');
        else writeLine(io.stdout, renderScheduleList(rows));
        return EXIT_OK;
      });
    });
}

function registerStateChange(
  schedule: Command,
  ctx: CommandContext,
  name: 'pause' | 'unpause' | 'delete',
  summary: string,
  act: (client: Client, id: string, note?: string) => Promise<void>,
  done: string,
): void {
  const cmd = schedule
    .command(name)
    .summary(summary)
    .argument('<schedule-id>', 'the schedule’s id (see powertune schedule list)');
  if (name !== 'delete') cmd.option('--note <text>', 'why, shown with the schedule');
  cmd.action(async (id: string, opts: { note?: string }, command: Command) => {
    const { io } = ctx;
    checkScheduleId(id, '<schedule-id>');
    ctx.exitCode = await withClient(globalsOf(command), io, async ({ client }) => {
      await onSchedule(() => act(client, id, opts.note));
      writeLine(io.stdout, `Schedule ${id} ${done}.`);
      return EXIT_OK;
    });
  });
}

export function registerSchedule(program: Command, ctx: CommandContext): void {
  const schedule = program
    .command('schedule')
    .summary('tune functions at an interval and flag drift (create, list, pause, unpause, delete)')
    .description(
      'Tuning schedules: Temporal Schedules that tune a function at an interval, each run compared with the last completed one.',
    );
  registerCreate(schedule, ctx);
  registerList(schedule, ctx);
  registerStateChange(
    schedule,
    ctx,
    'pause',
    'pause a schedule (runs in progress go on)',
    pauseTuningSchedule,
    'paused',
  );
  registerStateChange(
    schedule,
    ctx,
    'unpause',
    'resume a paused schedule',
    unpauseTuningSchedule,
    'unpaused',
  );
  registerStateChange(
    schedule,
    ctx,
    'delete',
    'delete a schedule (runs in progress go on to their end)',
    (client, id) => deleteTuningSchedule(client, id),
    'deleted',
  );
}
