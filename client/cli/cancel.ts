/** `powertune cancel <id>`: cancel a tuning; it restores the function and deletes what it created. */
import type { Command } from 'commander';
import { cancelTuning, describeTuning, getTuningHandle, TuningNotFoundError } from '../api.js';
import { statusWord } from '../format/status.js';
import { withClient } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_TUNING_FAILED, UsageError } from './exit.js';
import { writeLine } from './io.js';
import { warnIfNoWorker } from './run.js';

export function registerCancel(program: Command, ctx: CommandContext): void {
  program
    .command('cancel')
    .summary('cancel a running tuning (it cleans up after itself)')
    .description(
      'Requests cancellation of a tuning. The workflow then restores the function’s memory and description and deletes the versions and aliases it created; by default this command waits for that cleanup (Ctrl-C stops waiting, the cancellation stays requested).\n' +
        'Exit codes: 0 cancelled (or already ended), 1 the cleanup did not end in a cancelled run, 2 bad usage or unknown ID.',
    )
    .argument('<workflow-id>', 'the tuning’s workflow ID')
    .option('--no-wait', 'return once cancellation is requested, without waiting for the cleanup')
    .action(async (id: string, opts: { wait: boolean }, command: Command) => {
      const { io } = ctx;
      ctx.exitCode = await withClient(globalsOf(command), io, async ({ client }) => {
        const handle = getTuningHandle(client, id);
        let description;
        try {
          description = await describeTuning(client, handle);
        } catch (err) {
          if (err instanceof TuningNotFoundError) throw new UsageError(err.message);
          throw err;
        }
        // A run that already ended gets one line, and no "Cancelling…" before it.
        if (description.status.name !== 'RUNNING') {
          writeLine(io.stdout, alreadyEnded(id, description.status.name));
          return EXIT_OK;
        }
        // The cancellation is carried out by a worker on the run's own task queue.
        await warnIfNoWorker(
          io,
          client,
          description.taskQueue,
          opts.wait ? 'the cancellation and its cleanup wait' : 'its cleanup waits',
        );
        if (opts.wait) writeLine(io.stderr, `Cancelling ${id} and waiting for its cleanup…`);
        const outcome = await cancelTuning(client, handle, {
          wait: opts.wait,
          ...(io.signal ? { signal: io.signal } : {}),
        });
        if (outcome.alreadyClosed) {
          writeLine(io.stdout, alreadyEnded(id, outcome.status));
          return EXIT_OK;
        }
        if (!opts.wait) {
          writeLine(io.stdout, `Cancellation of ${id} requested; the workflow cleans up before it closes.`);
          return EXIT_OK;
        }
        if (outcome.status === 'RUNNING') {
          writeLine(
            io.stderr,
            `Stopped waiting; the cancellation of ${id} stays requested and its cleanup runs on a worker.`,
          );
          return EXIT_INTERRUPTED;
        }
        if (outcome.status === 'CANCELLED') {
          writeLine(
            io.stdout,
            `${id} cancelled; cleanup finished (function restored, test versions and aliases deleted).`,
          );
          return EXIT_OK;
        }
        writeLine(io.stderr, `${id} ended as ${statusWord(outcome.status)} instead of cancelled.`);
        return EXIT_TUNING_FAILED;
      });
    });
}

function alreadyEnded(id: string, status: Parameters<typeof statusWord>[0]): string {
  return `${id} had already ended (${statusWord(status)}); nothing to cancel.`;
}
