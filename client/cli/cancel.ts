/** `powertune cancel <id>`: cancel a tuning; it restores the function and deletes what it created. */
import type { Command } from 'commander';
import { cancelTuning, getTuningHandle, TuningNotFoundError } from '../api.js';
import { withClient } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_OK, EXIT_TUNING_FAILED, UsageError } from './exit.js';
import { writeLine } from './io.js';

export function registerCancel(program: Command, ctx: CommandContext): void {
  program
    .command('cancel')
    .summary('cancel a running tuning (it cleans up after itself)')
    .description(
      'Requests cancellation of a tuning. The workflow then restores the function’s memory and description and deletes the versions and aliases it created; by default this command waits for that cleanup.\n' +
        'Exit codes: 0 cancelled (or already finished), 1 the cleanup did not end in a cancelled run, 2 bad usage or unknown ID.',
    )
    .argument('<workflow-id>', 'the tuning’s workflow ID')
    .option('--no-wait', 'return once cancellation is requested, without waiting for the cleanup')
    .action(async (id: string, opts: { wait: boolean }, command: Command) => {
      const { io } = ctx;
      ctx.exitCode = await withClient(globalsOf(command), io, async ({ client }) => {
        const handle = getTuningHandle(client, id);
        if (opts.wait) writeLine(io.stderr, `Cancelling ${id} and waiting for its cleanup…`);
        let outcome;
        try {
          outcome = await cancelTuning(client, handle, { wait: opts.wait });
        } catch (err) {
          if (err instanceof TuningNotFoundError) throw new UsageError(err.message);
          throw err;
        }
        if (outcome.alreadyClosed) {
          writeLine(
            io.stdout,
            `${id} had already finished (${outcome.status.toLowerCase()}); nothing to cancel.`,
          );
          return EXIT_OK;
        }
        if (!opts.wait) {
          writeLine(io.stdout, `Cancellation of ${id} requested; the workflow cleans up before it closes.`);
          return EXIT_OK;
        }
        if (outcome.status === 'CANCELLED') {
          writeLine(
            io.stdout,
            `${id} cancelled; cleanup finished (function restored, test versions and aliases deleted).`,
          );
          return EXIT_OK;
        }
        writeLine(io.stderr, `${id} ended as ${outcome.status.toLowerCase()} instead of cancelled.`);
        return EXIT_TUNING_FAILED;
      });
    });
}
