/**
 * One flag per input parameter of a tuning, plus `--input file.json`. Flags override the file.
 * The flags themselves are declared with their fields in domain/input-fields.ts. The result goes
 * through the workflow's own validator; its errors are reported with the flag (or file field)
 * that carried the bad value.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { inputErrorList, isInputError, type InputError } from '../../domain/errors.js';
import {
  ACCEPTED_KEYS,
  INPUT_FIELDS,
  type CliFlag,
  type InputField,
  type InputKey,
} from '../../domain/input-fields.js';
import { isPlainObject } from '../../domain/json.js';
import type { PowerTuningInput, TuningConfig } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { UsageError } from './exit.js';
import type { CliIo } from './io.js';
import { readJsonFile } from './json-file.js';

type Parser = (raw: string, previous: unknown) => unknown;

/** A flag of the input table, with the field it sets. */
export interface InputFlag extends CliFlag {
  field: InputKey;
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

const PARSERS: Record<NonNullable<CliFlag['parse']>, Parser> = {
  integer: parseInteger,
  number: parseNumber,
  json: parseJson,
  list: parseList,
  powerValues: parsePowerValues,
};

const isListedFirst = (key: InputKey): boolean =>
  (INPUT_FIELDS[key] as InputField<InputKey>).listedFirst === true;

/** In --help order: the flags of the fields listed first, then the others, each in the table's order. */
export const INPUT_FLAGS: readonly InputFlag[] = [
  ...ACCEPTED_KEYS.filter(isListedFirst),
  ...ACCEPTED_KEYS.filter((key) => !isListedFirst(key)),
].flatMap((field) => (INPUT_FIELDS[field] as InputField<InputKey>).flags.map((flag) => ({ ...flag, field })));

/** Commander's flag text, e.g. `-n, --num <count>`. */
function flagText(flag: CliFlag): string {
  return `${flag.short ? `${flag.short}, ` : ''}${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
}

/** Where commander keeps a flag's value: `--max-parallel` → maxParallel. */
function optionKey(flag: CliFlag): string {
  return flag.name.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
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
    const option = new Option(flagText(flag), flag.help);
    if (flag.choices) option.choices(flag.choices);
    else if (flag.parse) option.argParser(PARSERS[flag.parse]);
    if (!flag.subKey) {
      // Two flags that set the same whole field (--payload, --payload-file) cannot be combined.
      const rivals = INPUT_FLAGS.filter(
        (other) => other !== flag && other.field === flag.field && !other.subKey,
      );
      if (rivals.length > 0) option.conflicts(rivals.map(optionKey));
    }
    cmd.addOption(option);
  }
  return cmd;
}

/** Which flag sets a field, for messages (`--num`, or `--price-per-gb-second/--price-per-request`). */
export function flagForField(field: string): string | undefined {
  const top = field.split(/[.[]/)[0];
  const flags = INPUT_FLAGS.filter((f) => f.field === top && !f.jsonFile).map((f) => f.name);
  return flags.length ? flags.join('/') : undefined;
}

export interface CliInput {
  input: PowerTuningInput;
  /** Fields set by a flag (as opposed to the --input file). */
  fromFlags: Set<string>;
  /** The --input file, when one was read. */
  file?: string;
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
    const fromFile = await readJsonFile(io, opts['input'], '--input');
    if (!isPlainObject(fromFile)) {
      throw new UsageError(
        `--input: ${opts['input']} must hold a JSON object such as {"lambdaARN": "my-function", "num": 10}`,
      );
    }
    Object.assign(input, fromFile);
    result.file = opts['input'];
  }
  for (const flag of INPUT_FLAGS) {
    let value = opts[optionKey(flag)];
    if (value === undefined) continue;
    if (flag.jsonFile) value = await readJsonFile(io, String(value), flag.name);
    if (flag.subKey) {
      const current = input[flag.field];
      input[flag.field] = { ...(isPlainObject(current) ? current : {}), [flag.subKey]: value };
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
