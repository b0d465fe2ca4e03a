/**
 * The `powertune` command line: global connection options, one subcommand per file, and the
 * mapping of every outcome to an exit code (0 success, 1 tuning failed, 2 bad usage or input).
 */
import { Command, CommanderError, Option } from 'commander';
import { registerCancel } from './cancel.js';
import { registerCheck } from './check.js';
import { registerCleanup } from './cleanup.js';
import { registerCompare } from './compare.js';
import type { CommandContext } from './context.js';
import { registerDemo } from './demo.js';
import { registerFleet } from './fleet.js';
import { CliError, EXIT_OK, EXIT_USAGE } from './exit.js';
import { writeLine, type CliIo } from './io.js';
import { registerList } from './list.js';
import { registerReport } from './report.js';
import { registerResult } from './result.js';
import { registerRun } from './run.js';
import { registerSchedule } from './schedule.js';
import { registerWatch } from './watch.js';

export const VERSION = '0.1.0';

export function createProgram(ctx: CommandContext): Command {
  const { io } = ctx;
  const program = new Command('powertune');
  program
    .description(
      'Tune the memory of an AWS Lambda function: a durable Temporal workflow measures each memory size and recommends one.\n' +
        'Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE (config profiles), as for the worker.',
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .optionsGroup('Connection (override the environment):')
    .addOption(new Option('--address <host:port>', 'Temporal frontend address (TEMPORAL_ADDRESS)'))
    .addOption(new Option('--namespace <name>', 'Temporal namespace (TEMPORAL_NAMESPACE)'))
    .addOption(
      new Option(
        '--task-queue <name>',
        'task queue of the worker (TEMPORAL_TASK_QUEUE, default power-tuning)',
      ),
    )
    .addOption(new Option('--profile <name>', 'config profile (TEMPORAL_PROFILE)'))
    .addOption(new Option('--ui-url <url>', 'Web UI base URL, for links (TEMPORAL_UI_URL)'))
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 tuning failed, 2 bad usage or input.\n' +
        'Run `powertune <command> --help` for a command’s options. Try `powertune demo` for a complete local run.',
    );
  registerRun(program, ctx);
  registerWatch(program, ctx);
  registerResult(program, ctx);
  registerCancel(program, ctx);
  registerCleanup(program, ctx);
  registerList(program, ctx);
  registerReport(program, ctx);
  registerCompare(program, ctx);
  registerCheck(program, ctx);
  registerFleet(program, ctx);
  registerSchedule(program, ctx);
  registerDemo(program, ctx);
  // Subcommands created before exitOverride/configureOutput inherit them; make sure of it.
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never exits. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const ctx: CommandContext = { io, exitCode: EXIT_OK };
  const program = createProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
      // Help shown because no command was given counts as bad usage.
      if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') {
        return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      }
      return EXIT_USAGE;
    }
    if (err instanceof CliError) {
      writeLine(io.stderr, `error: ${err.message}`);
      return err.exitCode;
    }
    writeLine(io.stderr, `error: ${(err as Error)?.message ?? String(err)}`);
    return 1;
  }
}
