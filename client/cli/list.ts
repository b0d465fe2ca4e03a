/** `powertune list`: recent tunings from Temporal visibility, optionally by function and status. */
import Table from 'cli-table3';
import { COMPACT } from '../format/table-style.js';
import type { Command } from 'commander';
import { buildListQuery, LIST_STATUSES, listTunings, type TuningSummary } from '../api.js';
import { formatElapsed } from '../format/units.js';
import { withClient } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_OK, UsageError } from './exit.js';
import { parseInteger } from './input-flags.js';
import { writeLine } from './io.js';

export function renderTuningList(rows: TuningSummary[], now = new Date()): string {
  const table = new Table({
    head: ['Workflow ID', 'Status', 'Function', 'Strategy', 'Phase', 'Recommended', 'Started', 'Duration'],
    style: { head: [], border: [] },
    chars: COMPACT,
  });
  for (const r of rows) {
    table.push([
      r.workflowId,
      r.status.toLowerCase(),
      r.functionName ?? '-',
      r.strategy ?? '-',
      r.phase ?? '-',
      r.recommendedMemory === undefined ? '-' : `${r.recommendedMemory} MB`,
      r.startTime
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z'),
      formatElapsed((r.closeTime ?? now).getTime() - r.startTime.getTime()),
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
    .option('--limit <count>', 'how many to show (default 20)', parseInteger, 20)
    .option('--json', 'print the list as JSON')
    .action(
      async (
        opts: { function?: string; status?: string; query?: string; limit: number; json?: boolean },
        command: Command,
      ) => {
        const listOptions = {
          ...(opts.function ? { functionName: opts.function } : {}),
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.query ? { query: opts.query } : {}),
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
          if (opts.json) writeLine(ctx.io.stdout, JSON.stringify(rows, null, 2));
          else if (rows.length === 0) writeLine(ctx.io.stderr, 'No tunings found.');
          else writeLine(ctx.io.stdout, renderTuningList(rows));
          return EXIT_OK;
        });
      },
    );
}
