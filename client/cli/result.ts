/** `powertune result <id-or-file>`: the result of a finished tuning as a table, JSON or CSV. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { globalsOf } from './context.js';
import { EXIT_OK } from './exit.js';
import { loadResult } from './load-result.js';
import { checkOutputOptions, printOutput } from './output.js';

export function registerResult(program: Command, ctx: CommandContext): void {
  program
    .command('result')
    .summary('print the result of a finished tuning')
    .description(
      'Prints the result of a finished tuning: a table by default (with confidence intervals, standings and the statement behind the choice), --json for exactly the workflow output, --csv for one row per memory size.\n' +
        'Exit codes: 0 success, 1 the tuning failed or is still running, 2 bad usage, unknown ID or unreadable file.',
    )
    .argument(
      '<id-or-file>',
      'the tuning’s workflow ID, or a result .json file (saved with run --json, or the original tool’s output)',
    )
    .option('--json', 'print exactly the workflow output as JSON')
    .option('--csv', 'print one CSV row per memory size')
    .option('--report <file>', 'also write the HTML report to this file')
    .action(async (ref: string, opts: Record<string, unknown>, command: Command) => {
      checkOutputOptions(opts);
      const loaded = await loadResult(ctx.io, globalsOf(command), ref);
      await printOutput(
        ctx.io,
        loaded.output,
        {
          json: Boolean(opts['json']),
          csv: Boolean(opts['csv']),
          ...(typeof opts['report'] === 'string' ? { report: opts['report'] } : {}),
        },
        {
          ...(loaded.input ? { input: loaded.input } : {}),
          ...(loaded.workflowId ? { workflowId: loaded.workflowId } : {}),
          ...(loaded.runId ? { runId: loaded.runId } : {}),
        },
      );
      ctx.exitCode = EXIT_OK;
    });
}
