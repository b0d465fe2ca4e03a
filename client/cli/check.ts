/**
 * `powertune check`: a CI gate. Tunes the function (or reads a finished tuning with --from) and
 * exits 0 when its current memory size is within the allowed regression of the recommendation,
 * 1 when it is not (or the tuning failed), 2 on bad usage.
 */
import type { Command } from 'commander';
import { MAX_POWER, MIN_POWER } from '../../domain/limits.js';
import type { TuningOutput } from '../../domain/types.js';
import { checkCurrentSize, type CheckReport } from '../format/check.js';
import { withClient } from './connect.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_OK, EXIT_TUNING_FAILED, UsageError } from './exit.js';
import { followToEnd } from './follow.js';
import { addInputOptions, inputFromOptions, validateCliInput } from './input-flags.js';
import { writeLine } from './io.js';
import { loadResult } from './load-result.js';
import { applyAdaptiveDefault, startFromCli } from './run.js';

export const DEFAULT_MAX_REGRESSION_PERCENT = 10;

/** `10%`, `10` or `2.5%`: a percentage ≥ 0, returned as a fraction. */
export function parseRegression(raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  if (!match) {
    throw new UsageError(
      `--max-regression: expected a percentage of at least 0 such as 10% or 2.5, got "${raw}"`,
    );
  }
  return Number(match[1]) / 100;
}

function parseMemory(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < MIN_POWER || value > MAX_POWER) {
    throw new UsageError(
      `--current-memory: expected a whole number of MB from ${MIN_POWER} to ${MAX_POWER}, got "${raw}"`,
    );
  }
  return value;
}

export function registerCheck(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('check')
    .summary('CI gate: fail when the current memory size is far from the best')
    .description(
      'Tunes the function (its current memory size is measured too) and checks that size against the recommendation on ' +
        'the strategy’s own metric (cost per invocation, duration or the balanced score). ' +
        'With --from, reads a finished tuning instead of starting one.\n' +
        'Exit codes: 0 within the allowed regression (or not shown beyond it, unless --strict), ' +
        '1 beyond it, the current size failed, no size met the constraints, or the tuning failed; 2 bad usage or input.',
    )
    .argument('[function]', 'function name, ARN or partial ARN (same as --lambda-arn)');
  addInputOptions(cmd);
  cmd
    .optionsGroup('Check options:')
    .option(
      '--max-regression <percent>',
      `how much worse than the recommendation the current size may be (default ${DEFAULT_MAX_REGRESSION_PERCENT}%)`,
    )
    .option('--from <id-or-file>', 'check a finished tuning (workflow ID or result .json) instead of tuning')
    .option(
      '--current-memory <MB>',
      'the current memory size, for results that do not record it (e.g. the original tool’s)',
    )
    .option('--strict', 'also fail when the data shows neither within nor beyond the allowed regression')
    .option('--workflow-id <id>', 'workflow ID of the tuning (default powertune-<function>-<random>)')
    .option('-q, --quiet', 'no progress display')
    .option('--json', 'print the verdict as JSON')
    .option('--fixed', 'sample the original’s fixed grid (num per size) instead of adaptively')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  powertune check my-function --strategy cost --max-regression 10%\n' +
        '  powertune check --from result.json --max-regression 5 --json',
    )
    .action(async (fn: string | undefined, opts: Record<string, unknown>, command: Command) => {
      const { io } = ctx;
      const allowed =
        typeof opts['maxRegression'] === 'string'
          ? parseRegression(opts['maxRegression'])
          : DEFAULT_MAX_REGRESSION_PERCENT / 100;
      const override =
        typeof opts['currentMemory'] === 'string' ? parseMemory(opts['currentMemory']) : undefined;
      const globals = globalsOf(command);
      const from = typeof opts['from'] === 'string' ? opts['from'] : undefined;

      let output: TuningOutput;
      let workflowId: string | undefined;
      if (from !== undefined) {
        if (fn !== undefined || typeof opts['lambdaArn'] === 'string' || typeof opts['input'] === 'string') {
          throw new UsageError(
            '--from: give either a function to tune or --from with a finished tuning, not both',
          );
        }
        const loaded = await loadResult(io, globals, from);
        output = loaded.output;
        workflowId = loaded.workflowId;
      } else {
        const cli = await inputFromOptions(opts, io, fn);
        applyAdaptiveDefault(cli.input, opts['fixed'] === true);
        const config = validateCliInput(cli);
        const end = await withClient(globals, io, async ({ client, settings }) => {
          const started = await startFromCli(io, client, settings, globals, cli.input, config, opts);
          workflowId = started.workflowId;
          return followToEnd(io, client, started.handle, { quiet: Boolean(opts['quiet']) });
        });
        if ('exitCode' in end) {
          ctx.exitCode = end.exitCode;
          return;
        }
        output = end.output;
      }

      const currentPower = override ?? output.currentPower;
      if (currentPower === undefined) {
        throw new UsageError(
          'this result does not record the function’s memory size before the tuning; give it with --current-memory <MB>',
        );
      }
      let report: CheckReport;
      try {
        report = checkCurrentSize(output, currentPower, { allowed, strict: opts['strict'] === true });
      } catch (err) {
        throw new UsageError(
          `${(err as Error).message}; add ${currentPower} to the power values and tune again`,
        );
      }
      if (opts['json'])
        writeLine(io.stdout, JSON.stringify({ ...report, ...(workflowId ? { workflowId } : {}) }, null, 2));
      else writeLine(io.stdout, report.statement);
      ctx.exitCode = report.pass ? EXIT_OK : EXIT_TUNING_FAILED;
    });
}
