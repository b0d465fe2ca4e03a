/**
 * `powertune demo` (also `npm run demo`): everything on this machine, nothing to configure.
 * Starts a Temporal dev server with its Web UI, the Lambda emulator and a worker in this
 * process, tunes the `cpu-bound` sample, prints the result and the run's Web UI link, then
 * stops everything (or keeps it running with --keep until Ctrl-C, printing the exports with
 * which every other command, in another terminal, uses this stack). The stack itself is in
 * demo-stack.ts, loaded only when the demo runs.
 */
import type { Command } from 'commander';
import type { GlobalOptions } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { UsageError } from './exit.js';
import { parseInteger } from './input-flags.js';

export interface DemoOptions {
  function: string;
  num: number;
  keep?: boolean;
  report?: string;
}

export interface DemoStack {
  address: string;
  namespace: string;
  taskQueue: string;
  uiUrl?: string;
  emulatorUrl: string;
  region: string;
}

/** A value as the shell reads it back unchanged: bare when safe, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * What another terminal pastes to use the running demo: the variables the CLI's connection
 * settings read (connection/temporal-settings.ts, TEMPORAL_UI_URL for links), and the emulator's
 * endpoint and region as the AWS SDK reads them (for anything else pointed at the emulator).
 */
export function demoExports(stack: DemoStack): string {
  const variables: [string, string | undefined][] = [
    ['TEMPORAL_ADDRESS', stack.address],
    ['TEMPORAL_NAMESPACE', stack.namespace],
    ['TEMPORAL_TASK_QUEUE', stack.taskQueue],
    ['TEMPORAL_UI_URL', stack.uiUrl],
    ['AWS_ENDPOINT_URL_LAMBDA', stack.emulatorUrl],
    ['AWS_REGION', stack.region],
  ];
  return [
    '',
    '# In another terminal, these make every powertune command use this demo (its worker polls the task queue):',
    ...variables.flatMap(([name, value]) =>
      value === undefined ? [] : [`export ${name}=${shellWord(value)}`],
    ),
    '# then, for example: npx powertune run io-bound -n 5, npx powertune list',
  ].join('\n');
}

/** The global connection flags given: the demo runs its own stack, so none of them applies. */
function connectionFlags(globals: GlobalOptions): string[] {
  const flags: Record<keyof GlobalOptions, string> = {
    address: '--address',
    namespace: '--namespace',
    taskQueue: '--task-queue',
    profile: '--profile',
    uiUrl: '--ui-url',
  };
  return (Object.keys(flags) as (keyof GlobalOptions)[])
    .filter((key) => globals[key] !== undefined)
    .map((key) => flags[key]);
}

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .summary('a complete local tuning: dev server, emulator, worker, run')
    .description(
      'Runs everything locally: a Temporal dev server with its Web UI (database in .cache/demo/), the Lambda emulator and a worker on the default task queue; tunes a sample function, prints the result and the Web UI link of the run, then stops everything. With --keep it keeps them running and prints the exports (TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE, TEMPORAL_UI_URL, AWS_ENDPOINT_URL_LAMBDA, …) with which the other commands, in another terminal, use them.',
    )
    .option(
      '--function <name>',
      'emulator sample to tune (cpu-bound, io-bound, memory-hungry, …)',
      'cpu-bound',
    )
    .option('-n, --num <count>', 'invocations per memory size', parseInteger, 10)
    .option(
      '--keep',
      'keep everything running after the tuning, until Ctrl-C, and print the exports for other terminals',
    )
    .option('--report <file>', 'also write the HTML report to this file')
    // It starts its own server, so the global connection flags would be ignored: not shown.
    .configureHelp({ showGlobalOptions: false })
    .action(async (opts: DemoOptions, command: Command) => {
      const given = connectionFlags(globalsOf(command));
      if (given.length > 0) {
        throw new UsageError(
          `${given.join(', ')}: the demo starts its own Temporal server, so connection options do not apply to it; ` +
            'use them with the other commands (demo --keep prints the settings for them)',
        );
      }
      // Loaded here, not at start-up: the worker SDK alone takes longer than the CLI may to start.
      const { runDemo } = await import('./demo-stack.js');
      ctx.exitCode = await runDemo(ctx.io, opts);
    });
}
