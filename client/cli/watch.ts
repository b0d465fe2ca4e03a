/** `powertune watch <id>`: follow a running (or finished) tuning, then print its result. */
import type { Command } from 'commander';
import { getTuningHandle, getTuningInput, getTuningSnapshot, TuningNotFoundError } from '../api.js';
import { withClient } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { UsageError } from './exit.js';
import { followTuning } from './follow.js';
import { checkOutputOptions } from './output.js';

export function registerWatch(program: Command, ctx: CommandContext): void {
  program
    .command('watch')
    .summary('follow a tuning’s progress, then print its result')
    .description(
      'Shows the progress of a tuning until it ends, then prints the result. Ctrl-C stops watching; the tuning goes on.\n' +
        'Exit codes: 0 success, 1 tuning failed, 2 bad usage or unknown ID.',
    )
    .argument('<workflow-id>', 'the tuning’s workflow ID (printed by run, shown by list)')
    .option('-q, --quiet', 'no progress display')
    .option('--json', 'print exactly the workflow output as JSON')
    .option('--csv', 'print one CSV row per memory size')
    .option('--report <file>', 'also write the HTML report to this file')
    .action(async (id: string, opts: Record<string, unknown>, command: Command) => {
      checkOutputOptions(opts);
      ctx.exitCode = await withClient(globalsOf(command), ctx.io, async ({ client }) => {
        const handle = getTuningHandle(client, id);
        try {
          await getTuningSnapshot(client, handle);
        } catch (err) {
          if (err instanceof TuningNotFoundError) throw new UsageError(err.message);
          throw err;
        }
        const input = await getTuningInput(client, id).catch(() => undefined);
        return followTuning(ctx.io, client, handle, {
          quiet: Boolean(opts['quiet']),
          json: Boolean(opts['json']),
          csv: Boolean(opts['csv']),
          ...(typeof opts['report'] === 'string' ? { report: opts['report'] } : {}),
          ...(input ? { input } : {}),
        });
      });
    });
}
