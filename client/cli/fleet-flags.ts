/**
 * The selection flags of a fleet (--prefix, --functions, --tag, --region, --concurrency), shared
 * by `fleet run` and `schedule create`: how they are declared, read into a fleet input, and
 * checked with the fleet workflow's own validator, each error naming its flag.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError, inputErrorList, isInputError } from '../../domain/errors.js';
import {
  DEFAULT_FLEET_CONCURRENCY,
  MAX_FLEET_CONCURRENCY,
  validateFleetInput,
} from '../../domain/fleet-input.js';
import type { FleetConfig, FleetTuningInput, FleetTuningSettings } from '../../domain/fleet-types.js';
import { isPlainObject } from '../../domain/json.js';
import { UsageError } from './exit.js';
import { describeInputErrors, parseInteger, parseList, type CliInput } from './input-flags.js';

/** Which flag carries each fleet field, for error messages. */
const FLEET_FLAGS: Record<string, string> = {
  selector: '--prefix, --functions or --tag',
  functions: '--functions',
  prefix: '--prefix',
  tags: '--tag',
  region: '--region',
  concurrency: '--concurrency',
  tuning: 'the tuning flags',
};

/** The option keys (as commander names them) that select functions. */
const SELECTOR_OPTIONS = ['prefix', 'functions', 'tag'] as const;

/** `team=orders` (repeatable) → { team: 'orders' }. */
export function parseTag(raw: string, previous: unknown): Record<string, string> {
  const at = raw.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`"${raw}" is not key=value (e.g. --tag team=orders)`);
  return {
    ...(isPlainObject(previous) ? (previous as Record<string, string>) : {}),
    [raw.slice(0, at)]: raw.slice(at + 1),
  };
}

/** Declares the selection flags, in their own help group. */
export function addFleetSelectionOptions(cmd: Command, group: string): Command {
  return cmd
    .optionsGroup(group)
    .addOption(new Option('--prefix <prefix>', 'every function whose name starts with this'))
    .addOption(
      new Option(
        '--functions <names>',
        'these functions: names or ARNs, comma-separated (repeatable)',
      ).argParser(parseList),
    )
    .addOption(
      new Option(
        '--tag <key=value>',
        'every function with this tag; repeat for several, all must match',
      ).argParser(parseTag),
    )
    .addOption(
      new Option('--region <region>', 'where to list the functions (default: the worker’s AWS region)'),
    )
    .addOption(
      new Option(
        '--concurrency <n>',
        `tunings at once per account and region, 1 to ${MAX_FLEET_CONCURRENCY} (default ${DEFAULT_FLEET_CONCURRENCY})`,
      ).argParser(parseInteger),
    );
}

/** Whether any selection flag was given. */
export function hasFleetSelection(opts: Record<string, unknown>): boolean {
  return SELECTOR_OPTIONS.some((key) => opts[key] !== undefined);
}

/** A fleet names its functions by selection: a function given anyway is refused, naming where it came from. */
export function refuseFunctionInFleet(cli: CliInput, where: string): void {
  if (cli.input.lambdaARN === undefined) return;
  throw new UsageError(
    `${cli.fromFlags.has('lambdaARN') ? where : `"lambdaARN" in ${cli.file ?? 'the input'}`}: a fleet ` +
      'selects its functions with --prefix, --functions or --tag',
  );
}

/** The fleet's input from the selection flags and the tuning settings (flags and --input). */
export function fleetInputFrom(opts: Record<string, unknown>, tuning: CliInput['input']): FleetTuningInput {
  const input: FleetTuningInput = { tuning: tuning as FleetTuningSettings };
  if (opts['prefix'] !== undefined) input.prefix = opts['prefix'] as string;
  if (opts['functions'] !== undefined) input.functions = opts['functions'] as string[];
  if (opts['tag'] !== undefined) input.tags = opts['tag'] as Record<string, string>;
  if (opts['region'] !== undefined) input.region = opts['region'] as string;
  if (opts['concurrency'] !== undefined) input.concurrency = opts['concurrency'] as number;
  return input;
}

/** The workflow's own validation; each error names the flag (or file field) that carried it. */
export function validateFleetCli(input: FleetTuningInput, cli: CliInput): FleetConfig {
  try {
    return validateFleetInput(input);
  } catch (err) {
    if (!isInputError(err)) throw err;
    const lines = inputErrorList(err).flatMap((e) => {
      if (e.field.startsWith('tuning.'))
        return describeInputErrors(
          new InputError(e.field.slice('tuning.'.length), e.problem, e.accepted),
          cli,
        );
      const where = FLEET_FLAGS[e.field.split(/[.[]/)[0] ?? ''] ?? `"${e.field}"`;
      return [`${where}: ${e.problem.replace(/\.$/, '')}. Accepted: ${e.accepted.replace(/\.$/, '')}.`];
    });
    throw new UsageError(
      lines.length === 1 ? `invalid input: ${lines[0]}` : `invalid input:\n  ${lines.join('\n  ')}`,
    );
  }
}
