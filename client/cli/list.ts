/** `powertune list`: recent tunings from Temporal visibility, optionally by function and status. */
import Table from 'cli-table3';
import { COMPACT } from '../format/table-style.js';
import type { Command } from 'commander';
import { buildListQuery, LIST_STATUSES, listTunings, type TuningSummary } from '../api.js';
import { statusWord, type StatusWord } from '../format/status.js';
import { formatTimestamp } from '../format/time.js';
import { formatElapsed } from '../format/units.js';
import { withClient } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_OK, UsageError } from './exit.js';
import { parseInteger } from './input-flags.js';
import { writeLine } from './io.js';

/** A listed tuning as the table and --json show it: our status word, the phase that applies. */
export interface ListEntry extends Omit<TuningSummary, 'status'> {
  status: StatusWord;
}

/**
 * The entry of one tuning. A run that closed before a worker ever moved it past `validating`
 * (cancelled or terminated before it started) still carries the phase the client set at start;
 * its status says more, so that is shown instead.
 */
export function listEntry(summary: TuningSummary): ListEntry {
  const status = statusWord(summary.status);
  const stale = summary.phase === undefined || summary.phase === 'validating';
  const phase = status !== 'running' && stale ? status : summary.phase;
  return {
    workflowId: summary.workflowId,
    runId: summary.runId,
    status,
    startTime: summary.startTime,
    ...(summary.closeTime ? { closeTime: summary.closeTime } : {}),
    taskQueue: summary.taskQueue,
    ...(summary.functionName !== undefined ? { functionName: summary.functionName } : {}),
    ...(summary.strategy !== undefined ? { strategy: summary.strategy } : {}),
    ...(phase !== undefined ? { phase } : {}),
    ...(summary.recommendedMemory !== undefined ? { recommendedMemory: summary.recommendedMemory } : {}),
    ...(summary.drift !== undefined ? { drift: summary.drift } : {}),
    ...(summary.tuningWorkflowId !== undefined ? { tuningWorkflowId: summary.tuningWorkflowId } : {}),
    ...(summary.driftedFunctions !== undefined ? { driftedFunctions: summary.driftedFunctions } : {}),
  };
}

/** A fleet schedule run's drift also says how many of its functions drifted. */
function driftCell(r: ListEntry): string {
  const drift = r.drift ?? '-';
  const counts = r.driftedFunctions;
  return counts ? `${drift} (${counts.drifted} of ${counts.of} functions)` : drift;
}

export function renderTuningList(entries: ListEntry[], opts: { now?: Date; timeZone?: string } = {}): string {
  const now = opts.now ?? new Date();
  // Scheduled runs (list --drift) also show their drift and the tuning that result/report/compare take.
  const scheduled = entries.some((r) => r.tuningWorkflowId !== undefined);
  const table = new Table({
    head: [
      'Workflow ID',
      'Status',
      'Function',
      'Strategy',
      'Phase',
      'Recommended',
      'Started',
      'Duration',
      ...(scheduled ? ['Drift', 'Tuning ID'] : []),
    ],
    style: { head: [], border: [] },
    chars: COMPACT,
  });
  for (const r of entries) {
    table.push([
      r.workflowId,
      r.status,
      r.functionName ?? '-',
      r.strategy ?? '-',
      r.phase ?? '-',
      r.recommendedMemory === undefined ? '-' : `${r.recommendedMemory} MB`,
      formatTimestamp(r.startTime, opts.timeZone),
      formatElapsed((r.closeTime ?? now).getTime() - r.startTime.getTime()),
      ...(scheduled ? [driftCell(r), r.tuningWorkflowId ?? '-'] : []),
    ]);
  }
  return table.toString();
}

export function registerList(program: Command, ctx: CommandContext): void {
  program
    .command('list')
    .summary('list recent tunings')
    .description(
      'Lists recent tunings, newest first, from Temporal visibility. The same filters work in the Web UI, e.g. TuningFunction = "my-function".',
    )
    .option('-f, --function <name>', 'only tunings of this function (name or ARN)')
    .option('--status <status>', `only tunings with this status: ${LIST_STATUSES.join(', ')}`)
    .option('--query <query>', "an extra visibility query, e.g. 'TuningRecommendedMemory >= 1024'")
    .option(
      '--drift',
      'only scheduled runs that flagged drift (powertune schedule create), with their tuning’s ID (a fleet’s, for a fleet schedule)',
    )
    .option('--limit <count>', 'how many to show (default 20)', parseInteger, 20)
    .option('--json', 'print the list as JSON')
    .action(
      async (
        opts: {
          function?: string;
          status?: string;
          query?: string;
          drift?: boolean;
          limit: number;
          json?: boolean;
        },
        command: Command,
      ) => {
        const listOptions = {
          ...(opts.function ? { functionName: opts.function } : {}),
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.query ? { query: opts.query } : {}),
          ...(opts.drift ? { drift: true } : {}),
          limit: opts.limit,
        };
        try {
          buildListQuery(listOptions);
        } catch (err) {
          throw new UsageError(`--status: ${(err as Error).message}`);
        }
        if (opts.limit < 1) throw new UsageError('--limit: expected 1 or more');
        ctx.exitCode = await withClient(globalsOf(command), ctx.io, async ({ client }) => {
          let rows: TuningSummary[];
          try {
            rows = await listTunings(client, listOptions);
          } catch (err) {
            const message = (err as Error).message;
            if (/invalid|not defined|unknown|syntax/i.test(message)) {
              throw new UsageError(
                `the list query was refused: ${message} (query: ${buildListQuery(listOptions)})`,
              );
            }
            throw err;
          }
          const entries = rows.map(listEntry);
          if (opts.json) writeLine(ctx.io.stdout, JSON.stringify(entries, null, 2));
          else if (entries.length === 0)
            writeLine(ctx.io.stderr, opts.drift ? 'No scheduled run flagged drift.' : 'No tunings found.');
          else writeLine(ctx.io.stdout, renderTuningList(entries));
          return EXIT_OK;
        });
      },
    );
}
