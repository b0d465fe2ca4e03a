/**
 * One flag per input parameter of a tuning, plus `--input file.json`. Flags override the file.
 * The result goes through the workflow's own validator; its errors are reported with the flag
 * (or file field) that carried the bad value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { inputErrorList, isInputError, type InputError } from '../../domain/errors.js';
import { STRATEGIES } from '../../domain/strategies.js';
import type { PowerTuningInput, TuningConfig } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { UsageError } from './exit.js';
import type { CliIo } from './io.js';

type Parser = (raw: string, previous: unknown) => unknown;

export interface InputFlag {
  /** Commander flag text, e.g. `-n, --num <count>`. */
  flags: string;
  /** The input field it sets. */
  field: keyof PowerTuningInput;
  description: string;
  /** Absent for boolean switches. */
  parse?: Parser;
  choices?: readonly string[];
  /** Sub-key for object fields (prices). */
  subKey?: string;
  /** The value is a file to read as JSON. */
  jsonFile?: boolean;
}

export function parseInteger(raw: string): number {
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new InvalidArgumentError('expected an integer');
  return Number(raw);
}

export function parseNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError('expected a number');
  return value;
}

/** `128,256,512` (commas or spaces; repeatable) or `ALL`. */
export function parsePowerValues(raw: string, previous: unknown): number[] | 'ALL' {
  if (raw.trim().toUpperCase() === 'ALL') return 'ALL';
  const items = raw.split(/[\s,]+/).filter(Boolean);
  if (items.length === 0)
    throw new InvalidArgumentError('expected memory sizes in MB such as 128,512,1024, or ALL');
  const values = items.map((item) => {
    if (!/^\d+$/.test(item)) {
      throw new InvalidArgumentError(
        `"${item}" is not a whole number of MB (expected e.g. 128,512,1024, or ALL)`,
      );
    }
    return Number(item);
  });
  return Array.isArray(previous) ? [...(previous as number[]), ...values] : values;
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw new InvalidArgumentError(
      `not valid JSON (${(err as Error).message}); to send a plain string, quote it as JSON: '"text"'`,
    );
  }
}

/** Comma-separated and repeatable. */
export function parseList(raw: string, previous: unknown): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return Array.isArray(previous) ? [...(previous as string[]), ...items] : items;
}

const text: Parser = (raw) => raw;

export const INPUT_FLAGS: readonly InputFlag[] = [
  {
    flags: '--lambda-arn <arn>',
    field: 'lambdaARN',
    description: 'function to tune: name, ARN or partial ARN (or give it as the first argument)',
    parse: text,
  },
  {
    flags: '-n, --num <count>',
    field: 'num',
    description: 'invocations per memory size (5 or more; ignored with --dry-run)',
    parse: parseInteger,
  },
  {
    flags: '-p, --power-values <list>',
    field: 'powerValues',
    description: 'memory sizes in MB, e.g. 128,256,512,1024, or ALL (default 128,256,512,1024,1536,3008)',
    parse: parsePowerValues,
  },
  {
    flags: '--payload <json>',
    field: 'payload',
    description: 'JSON payload sent to the function, or a weighted list [{"payload":…,"weight":n}]',
    parse: parseJson,
  },
  {
    flags: '--payload-file <path>',
    field: 'payload',
    description: 'read the payload (JSON) from a file',
    parse: text,
    jsonFile: true,
  },
  {
    flags: '--payload-s3 <uri>',
    field: 'payloadS3',
    description: 'payload stored in S3 (s3://bucket/key), for payloads over 256 KB',
    parse: text,
  },
  {
    flags: '--confidence <p>',
    field: 'confidence',
    description:
      'joint confidence of the decision, e.g. 0.95; sampling continues until the choice is settled (powertune run: 0.95 unless --fixed)',
    parse: parseNumber,
  },
  {
    flags: '--tolerance <share>',
    field: 'tolerance',
    description:
      'relative difference treated as none, e.g. 0.01 = 1% (default 0.01 with --confidence, else 0)',
    parse: parseNumber,
  },
  {
    flags: '--max-invocations <count>',
    field: 'maxInvocations',
    description: 'most invocations of an adaptive run (default 3 × num × sizes)',
    parse: parseInteger,
  },
  {
    flags: '--max-error-rate <share>',
    field: 'maxErrorRate',
    description: 'a size whose error rate is proven above this is infeasible (default 0.1)',
    parse: parseNumber,
  },
  {
    flags: '--parallel',
    field: 'parallelInvocation',
    description: 'invoke each size’s invocations in parallel (parallelInvocation)',
  },
  {
    flags: '--max-parallel <count>',
    field: 'maxParallelInvocations',
    description: 'most concurrent invocations per size with --parallel (default 10)',
    parse: parseInteger,
  },
  {
    flags: '-s, --strategy <name>',
    field: 'strategy',
    description: 'what to optimise (default cost)',
    parse: text,
    choices: STRATEGIES,
  },
  {
    flags: '--balanced-weight <0..1>',
    field: 'balancedWeight',
    description: 'with --strategy balanced: 0 favours speed, 1 favours cost (default 0.5)',
    parse: parseNumber,
  },
  {
    flags: '--auto-optimize',
    field: 'autoOptimize',
    description: 'set the function to the recommended memory at the end',
  },
  {
    flags: '--auto-optimize-alias <name>',
    field: 'autoOptimizeAlias',
    description: 'with --auto-optimize: point this alias at the optimised version',
    parse: text,
  },
  {
    flags: '--dry-run',
    field: 'dryRun',
    description: 'one invocation per size, to check permissions and setup',
  },
  {
    flags: '--pre-processor-arn <arn>',
    field: 'preProcessorARN',
    description: 'function invoked before each invocation (may replace the payload)',
    parse: text,
  },
  {
    flags: '--post-processor-arn <arn>',
    field: 'postProcessorARN',
    description: 'function invoked after each invocation',
    parse: text,
  },
  {
    flags: '--discard-top-bottom <fraction>',
    field: 'discardTopBottom',
    description: 'share of fastest and of slowest results dropped before averaging, 0 to 0.4 (default 0.2)',
    parse: parseNumber,
  },
  {
    flags: '--sleep-between-runs-ms <ms>',
    field: 'sleepBetweenRunsMs',
    description: 'pause between two invocations (serial runs only)',
    parse: parseInteger,
  },
  {
    flags: '--disable-payload-logs',
    field: 'disablePayloadLogs',
    description: 'keep the payload out of logs, errors and reports',
  },
  {
    flags: '--include-output-results',
    field: 'includeOutputResults',
    description: 'add the per-size "stats" list to the output (as the original)',
  },
  {
    flags: '--only-cold-starts',
    field: 'onlyColdStarts',
    description: 'measure cold starts only (one new version per invocation)',
  },
  {
    flags: '--allowed-exceptions <types>',
    field: 'allowedExceptions',
    description: 'error types that still count as measurements (comma-separated, repeatable)',
    parse: parseList,
  },
  {
    flags: '--visualization-url <url>',
    field: 'visualizationURL',
    description: 'base URL of the visualization link',
    parse: text,
  },
  {
    flags: '--price-per-gb-second <price>',
    field: 'prices',
    subKey: 'perGbSecond',
    description: 'override the price per GB-second',
    parse: parseNumber,
  },
  {
    flags: '--price-per-request <price>',
    field: 'prices',
    subKey: 'perRequest',
    description: 'override the price per request',
    parse: parseNumber,
  },
];

function longFlag(flag: InputFlag): string {
  return /--[a-z0-9-]+/.exec(flag.flags)?.[0] ?? flag.flags;
}

/** Adds the input options (and `--input`) to a command. */
export function addInputOptions(cmd: Command): Command {
  cmd.optionsGroup('Input (each flag sets the input parameter of the same name):');
  cmd.addOption(
    new Option(
      '--input <file>',
      'read the input from a JSON file ("-" for stdin); flags override its fields',
    ),
  );
  for (const flag of INPUT_FLAGS) {
    const option = new Option(flag.flags, flag.description);
    if (flag.choices) option.choices(flag.choices);
    else if (flag.parse) option.argParser(flag.parse);
    if (flag.field === 'payload') option.conflicts(flag.jsonFile ? ['payload'] : ['payloadFile']);
    cmd.addOption(option);
  }
  return cmd;
}

/** Which flag sets a field, for messages (`--num`, or `--price-per-gb-second/--price-per-request`). */
export function flagForField(field: string): string | undefined {
  const top = field.split(/[.[]/)[0];
  const flags = INPUT_FLAGS.filter((f) => f.field === top && !f.jsonFile).map(longFlag);
  return flags.length ? flags.join('/') : undefined;
}

export interface CliInput {
  input: PowerTuningInput;
  /** Fields set by a flag (as opposed to the --input file). */
  fromFlags: Set<string>;
  /** The --input file, when one was read. */
  file?: string;
}

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function readJsonFile(io: CliIo, flag: string, file: string): Promise<unknown> {
  let raw: string;
  try {
    raw = file === '-' ? await readStdin(io) : await fs.promises.readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(
      `${flag}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw new UsageError(`${flag}: ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Builds the input from `--input`, the flags and the optional positional function.
 * `opts` is commander's parsed options object for the command.
 */
export async function inputFromOptions(
  opts: Record<string, unknown>,
  io: CliIo,
  positionalFunction?: string,
): Promise<CliInput> {
  const result: CliInput = { input: {} as PowerTuningInput, fromFlags: new Set() };
  const input = result.input as unknown as Record<string, unknown>;
  if (typeof opts['input'] === 'string') {
    const fromFile = await readJsonFile(io, '--input', opts['input']);
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
      throw new UsageError(
        `--input: ${opts['input']} must hold a JSON object such as {"lambdaARN": "my-function", "num": 10}`,
      );
    }
    Object.assign(input, fromFile);
    result.file = opts['input'];
  }
  for (const flag of INPUT_FLAGS) {
    const key = camel(longFlag(flag));
    let value = opts[key];
    if (value === undefined) continue;
    if (flag.jsonFile) value = await readJsonFile(io, longFlag(flag), String(value));
    if (flag.subKey) {
      const current = input[flag.field];
      const base = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
      input[flag.field] = { ...base, [flag.subKey]: value };
    } else {
      input[flag.field] = value;
    }
    result.fromFlags.add(flag.field);
  }
  if (positionalFunction !== undefined) {
    if (result.fromFlags.has('lambdaARN') && input['lambdaARN'] !== positionalFunction) {
      throw new UsageError(
        `the function is given twice: "${positionalFunction}" as argument and "${String(input['lambdaARN'])}" with --lambda-arn; give it once`,
      );
    }
    input['lambdaARN'] = positionalFunction;
    result.fromFlags.add('lambdaARN');
  }
  return result;
}

function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** One line per invalid field, naming the flag that set it (or the file field). */
export function describeInputErrors(
  error: InputError,
  source: Pick<CliInput, 'fromFlags' | 'file'>,
): string[] {
  return inputErrorList(error).map((e) => {
    const top = e.field.split(/[.[]/)[0] ?? e.field;
    const flag = flagForField(e.field);
    let where: string;
    if (source.fromFlags.has(top) && flag) where = top === 'lambdaARN' ? '<function> (--lambda-arn)' : flag;
    else if (source.file && top !== 'input') where = `"${e.field}" in ${source.file}`;
    else if (top === 'lambdaARN') where = '<function> (--lambda-arn)';
    else where = flag ?? `"${e.field}"`;
    return `${where}: ${e.problem.replace(/\.$/, '')}. Accepted: ${e.accepted.replace(/\.$/, '')}.`;
  });
}

/** Validates with the workflow's validator; bad input becomes a UsageError (exit 2). */
export function validateCliInput(cli: CliInput): TuningConfig {
  try {
    return validateInput(cli.input);
  } catch (err) {
    if (isInputError(err)) {
      const lines = describeInputErrors(err, cli);
      throw new UsageError(
        lines.length === 1 ? `invalid input: ${lines[0]}` : `invalid input:\n  ${lines.join('\n  ')}`,
      );
    }
    throw err;
  }
}
