/** What every bench command's command line shares: the common flags, their checks, --help. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

type FlagsConfig = NonNullable<ParseArgsConfig['options']>;

/** Flags every bench command takes. */
const COMMON_FLAGS = {
  markdown: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies FlagsConfig;

type StrictConfig<T extends FlagsConfig> = {
  args: string[];
  options: T & typeof COMMON_FLAGS;
  strict: true;
  allowPositionals: false;
};

/** The flags' values (`flags` and the common ones); unknown flags and positionals are UsageErrors. */
export function parseFlags<T extends FlagsConfig>(
  argv: string[],
  flags: T,
): ReturnType<typeof parseArgs<StrictConfig<T>>>['values'] {
  const config: StrictConfig<T> = {
    args: argv,
    options: { ...flags, ...COMMON_FLAGS },
    strict: true,
    allowPositionals: false,
  };
  try {
    return parseArgs(config).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The flag's value as an integer of at least `min`; undefined when the flag was not given. */
export function positiveInt(name: string, raw: string | undefined, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got: ${raw}`);
  return n;
}

/**
 * Runs `parse`; returns its options, or the exit code when there is nothing to run: 0 after
 * printing `usage` for --help (`parse` returns undefined), 2 after printing a UsageError (with
 * `usage` unless `usageOnError` is false).
 */
export function optionsOrExitCode<T>(
  parse: () => T | undefined,
  usage: string,
  { usageOnError = true } = {},
): { options: T } | { exitCode: number } {
  let options: T | undefined;
  try {
    options = parse();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(usageOnError ? `${err.message}\n\n${usage}\n` : `${err.message}\n`);
    return { exitCode: 2 };
  }
  if (options === undefined) {
    process.stdout.write(`${usage}\n`);
    return { exitCode: 0 };
  }
  return { options };
}
