/**
 * `powertune cleanup <function>`: puts back a function that a tuning left behind (terminated, or
 * ended by its server before its own cleanup ran) and prints what it did, or would do.
 */
// From common, where the client re-exports it from: the client package loads too slowly for start-up.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Command } from 'commander';
import { parseFunctionTarget } from '../../domain/arn.js';
import { readTargetRole } from '../../domain/role.js';
import { isInputError } from '../../domain/errors.js';
import { LOCK_ALIAS } from '../../domain/naming.js';
import {
  CleanupFailedError,
  cleanupFunction,
  isNothingToClean,
  type StrandedCleanupReport,
} from '../cleanup.js';
import { withClient } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_OK, EXIT_TUNING_FAILED, UsageError } from './exit.js';
import { writeLine } from './io.js';
import { warnIfNoWorker } from './run.js';

export function registerCleanup(program: Command, ctx: CommandContext): void {
  program
    .command('cleanup')
    .summary('put back a function that a terminated tuning left behind')
    .description(
      'Finds what tunings that never cleaned up left on a function (for example after `temporal workflow terminate`): ' +
        `their ptune-* aliases, the versions whose description starts with a [power-tuning …] marker, and the ${LOCK_ALIAS} ` +
        'alias with the version holding the original settings. It puts $LATEST’s memory and description back to those ' +
        'settings, deletes the leftovers, releases the lock and prints what it did. It refuses while the tuning holding ' +
        'the lock is still running (cancel that one instead: it cleans up by itself). A run ended in the middle of a ' +
        'step that changes the function gives that step a short while to finish on its worker first.\n' +
        'Exit codes: 0 cleaned up, or nothing to do, or listed with --dry-run; 1 refused (a tuning is running) or failed; ' +
        '2 bad usage.',
    )
    .argument('<function>', 'function name, ARN or partial ARN')
    .option('--dry-run', 'only list what would be done; change nothing')
    .option(
      '--force',
      'clean up even when the run holding the lock cannot be looked up (never while it is running)',
    )
    .option('--role-arn <arn>', 'IAM role to assume for the function (the roleArn the tuning was given)')
    .option('--external-id <id>', "with --role-arn: the external id the role's trust policy expects")
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  powertune cleanup my-function --dry-run\n' +
        '  powertune cleanup arn:aws:lambda:us-east-1:123456789012:function:my-function --json',
    )
    .action(
      async (
        fn: string,
        opts: { dryRun?: boolean; force?: boolean; json?: boolean; roleArn?: string; externalId?: string },
        command: Command,
      ) => {
        const { io } = ctx;
        try {
          const { partition } = parseFunctionTarget(fn, '<function>');
          readTargetRole(opts.roleArn, opts.externalId, partition);
        } catch (err) {
          if (isInputError(err)) throw new UsageError(err.message);
          throw err;
        }
        ctx.exitCode = await withClient(globalsOf(command), io, async ({ client, settings }) => {
          await warnIfNoWorker(io, client, settings.taskQueue, 'the cleanup waits');
          writeLine(io.stderr, `${opts.dryRun ? 'Checking' : 'Cleaning up'} ${fn}…`);
          let report: StrandedCleanupReport;
          try {
            report = await cleanupFunction(client, fn, {
              taskQueue: settings.taskQueue,
              ...(opts.dryRun ? { dryRun: true } : {}),
              ...(opts.force ? { force: true } : {}),
              ...(opts.roleArn !== undefined ? { roleArn: opts.roleArn } : {}),
              ...(opts.externalId !== undefined ? { externalId: opts.externalId } : {}),
            });
          } catch (err) {
            if (err instanceof CleanupFailedError) {
              if (err.failureType === 'InvalidInput') throw new UsageError(err.message);
              const what = err.failureType === 'TuningRunning' ? 'refused' : 'failed';
              writeLine(io.stderr, `error: cleanup of ${fn} ${what}: ${err.message}`);
              return EXIT_TUNING_FAILED;
            }
            if (err instanceof WorkflowExecutionAlreadyStartedError) throw new UsageError(err.message);
            throw err;
          }
          if (opts.json) writeLine(io.stdout, JSON.stringify(report, null, 2));
          else {
            writeLine(io.stdout, renderCleanupReport(report));
            for (const w of report.warnings) writeLine(io.stderr, `warning: ${w}`);
          }
          return EXIT_OK;
        });
      },
    );
}

/** The report in words: one line per kind of leftover, dry runs in the conditional (warnings go to stderr apart). */
export function renderCleanupReport(report: StrandedCleanupReport): string {
  const name = report.functionName;
  const dry = report.dryRun;
  if (isNothingToClean(report)) {
    const lines = [
      `Nothing to clean up on ${name}: no tuning lock, no ptune-* aliases, no versions with a tuning marker, ` +
        'and $LATEST carries no tuning settings.',
    ];
    return lines.join('\n');
  }
  const lines = [dry ? `Dry run: nothing was changed. Cleaning up ${name} would:` : `Cleaned up ${name}:`];
  const item = (text: string) => lines.push(`  - ${text}`);
  const lock = report.lock;
  if (lock) {
    if (lock.workflowId === undefined) {
      item(
        `${dry ? 'find' : 'found'} the alias ${LOCK_ALIAS} (on version ${lock.pointsTo}), which no tuning wrote: ` +
          'left as it is',
      );
    } else {
      const saved =
        lock.pointsTo === '$LATEST'
          ? 'no saved settings'
          : `original settings saved in version ${lock.pointsTo}`;
      item(
        `${dry ? 'find' : 'found'} the lock ${LOCK_ALIAS} of tuning workflow ${lock.workflowId} ` +
          `(run ${lock.runTag ?? '?'}, ${lock.ownerStatus.toLowerCase().replaceAll('_', ' ')}); ${saved}`,
      );
    }
  }
  const verb = dry ? 'delete' : 'deleted';
  if (report.aliases.length > 0) {
    item(`${verb} ${plural(report.aliases.length, 'alias', 'aliases')}: ${report.aliases.join(', ')}`);
  }
  if (report.versions.length > 0) {
    const labelled = report.versions.map((v) =>
      lock?.workflowId !== undefined && v === lock.pointsTo ? `${v} (the lock's snapshot)` : v,
    );
    item(`${verb} ${plural(report.versions.length, 'version', 'versions')}: ${labelled.join(', ')}`);
  }
  if (report.architecture) {
    const { from, to } = report.architecture;
    item(`${dry ? 'move' : 'moved'} $LATEST's code back to ${to} (it was left on ${from})`);
  }
  if (report.restore) {
    const { from, to } = report.restore;
    const memory =
      to.memorySize === undefined
        ? `memory ${from.memorySize} MB (left as it is: no saved settings)`
        : `memory ${from.memorySize} MB → ${to.memorySize} MB`;
    item(
      `${dry ? 'restore' : 'restored'} $LATEST: ${memory}, description ${JSON.stringify(from.description)} → ` +
        JSON.stringify(to.description),
    );
  } else if (lock?.workflowId !== undefined && lock.pointsTo !== '$LATEST') {
    item('$LATEST already has the saved memory and description: left as it is');
  } else {
    item('$LATEST carries no tuning marker: left as it is');
  }
  if (report.releasedLock) item(dry ? 'release the lock' : 'released the lock');
  if (dry) lines.push(`Run it without --dry-run to do it.`);
  return lines.join('\n');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
