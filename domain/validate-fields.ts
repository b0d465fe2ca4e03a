/**
 * One reader per input field: each returns the normalised value or throws an InputError
 * naming the field and what it accepts. Which reader reads which field: input-fields.ts;
 * cross-field rules live in validate.ts.
 */
import { isValidAliasName, parseProcessorTarget } from './arn.js';
import { utf8ByteLength } from './base64.js';
import { clip, describeValue } from './describe.js';
import { InputError } from './errors.js';
import {
  ALL_POWER_VALUES,
  DEFAULT_CONSTRAINT_PERCENTILE,
  DEFAULT_POWER_VALUES,
  MAX_ALLOWED_EXCEPTIONS,
  MAX_INVOCATIONS_PER_MONTH,
  MAX_POWER,
  MAX_POWER_VALUE_COUNT,
  MAX_NUM,
  MAX_URL_LENGTH,
  MIN_NUM,
  MIN_POWER,
} from './limits.js';
import { isPlainObject } from './json.js';
import type {
  ConstraintsConfig,
  ExplorationMode,
  PayloadS3Location,
  PriceOverrides,
  Strategy,
} from './types.js';
import { VOLUME_FROM_CLOUDWATCH } from './volume.js';

function nullProblem(defaultText: string): string {
  return `null is not accepted (leave the field out to use the default, ${defaultText})`;
}

export function readBoolean(field: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  const hint = value === 'true' || value === 'false' ? ` (write ${value} without quotes)` : '';
  throw new InputError(
    field,
    `expected a boolean, got ${describeValue(value)}${hint}`,
    'true or false (JSON booleans)',
  );
}

export interface NumberRule {
  min: number;
  max: number;
  integer: boolean;
  /** Used when the field is absent; when undefined the field is required. */
  default?: number;
  /** Extra words for the "Accepted" part. */
  note?: string;
  /**
   * The original read this field with parseInt/parseFloat (or let Math.min/max coerce it), so
   * inputs written for it may hold "10" or "0.5": such strings are read as their number.
   */
  numericStrings?: boolean;
}

/**
 * A string that holds nothing but a decimal number ("10", "0.5", " -3 "). Stricter than parseInt
 * on purpose: "5abc", "1e3", "0x10" and "" mean nothing unambiguous, so they stay errors.
 */
const DECIMAL_STRING = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;

/** The number in a decimal string, or undefined when the string is not one. */
export function decimalStringValue(value: string): number | undefined {
  return DECIMAL_STRING.test(value) ? Number(value) : undefined;
}

/**
 * JSON numbers; with `numericStrings` also decimal strings, as the original accepted for that
 * field. Any other string is refused rather than guessed at (the original's parseInt read "5abc" as 5).
 */
/** A number that may be left out: undefined when absent (any default comes from a rule across fields). */
export function readOptionalNumber(field: string, value: unknown, rule: NumberRule): number | undefined {
  return value === undefined ? undefined : readNumber(field, value, rule);
}

export function readNumber(field: string, value: unknown, rule: NumberRule): number {
  const kind = rule.integer ? 'an integer' : 'a number';
  const accepted = `${kind} from ${rule.min} to ${rule.max} (a JSON number${rule.default === undefined ? '' : `, default ${rule.default}`})${rule.note ? `; ${rule.note}` : ''}`;
  if (value === undefined) {
    if (rule.default !== undefined) return rule.default;
    throw new InputError(field, 'missing (it is required)', accepted);
  }
  if (value === null && rule.default !== undefined)
    throw new InputError(field, nullProblem(String(rule.default)), accepted);
  let number: number;
  /** How the value is named in messages: a string keeps its quotes, so the user finds it. */
  let shown: string;
  if (typeof value === 'string') {
    if (!rule.numericStrings) {
      throw new InputError(
        field,
        `got ${describeValue(value)}: numbers must be JSON numbers, strings are not converted`,
        accepted,
      );
    }
    const parsed = decimalStringValue(value);
    if (parsed === undefined) {
      throw new InputError(
        field,
        `got ${describeValue(value)}, which is not a number (a string is read only when it holds a ` +
          'plain decimal number, such as "10" or "0.5")',
        accepted,
      );
    }
    number = parsed;
    shown = `"${clip(value)}"`;
  } else if (typeof value === 'number') {
    number = value;
    shown = String(value);
  } else {
    throw new InputError(field, `expected a number, got ${describeValue(value)}`, accepted);
  }
  if (!Number.isFinite(number)) throw new InputError(field, `got ${shown}`, accepted);
  if (rule.integer && !Number.isInteger(number))
    throw new InputError(field, `${shown} is not an integer`, accepted);
  if (number < rule.min || number > rule.max)
    throw new InputError(field, `${shown} is out of range`, accepted);
  return number;
}

/**
 * num: required, 5..100000. With dryRun it is ignored (one invocation per power value), so it
 * may be left out; when given it must still be a sane integer. Returns 1 for a dry run.
 */
export function readNum(value: unknown, dryRun: boolean): number {
  if (!dryRun) {
    return readNumber('num', value, {
      min: MIN_NUM,
      max: MAX_NUM,
      integer: true,
      note: `the minimum is ${MIN_NUM} as in the original; with dryRun num is ignored`,
      numericStrings: true,
    });
  }
  if (value !== undefined)
    readNumber('num', value, {
      min: 1,
      max: MAX_NUM,
      integer: true,
      note: 'ignored with dryRun',
      numericStrings: true,
    });
  return 1;
}

const POWER_ACCEPTED =
  `"ALL" (${MIN_POWER} to ${MAX_POWER} in steps of 64), or a list of 1 to ${MAX_POWER_VALUE_COUNT} integers ` +
  `from ${MIN_POWER} to ${MAX_POWER} (MB); leave it out for the default [${DEFAULT_POWER_VALUES.join(', ')}]`;

/** Deduplicated and sorted ascending. Absent or null gives the default. */
export function readPowerValues(value: unknown): number[] {
  const field = 'powerValues';
  if (value === undefined || value === null) return [...DEFAULT_POWER_VALUES];
  if (value === 'ALL') return [...ALL_POWER_VALUES];
  if (typeof value === 'string') {
    throw new InputError(
      field,
      `got ${describeValue(value)}; the only accepted string is "ALL" (upper case)`,
      POWER_ACCEPTED,
    );
  }
  if (!Array.isArray(value))
    throw new InputError(field, `expected an array or "ALL", got ${describeValue(value)}`, POWER_ACCEPTED);
  if (value.length === 0) {
    throw new InputError(
      field,
      'the list is empty, so there is nothing to tune (leave the field out to use the default)',
      POWER_ACCEPTED,
    );
  }
  const bad: string[] = [];
  const numbers: number[] = [];
  value.forEach((v: unknown, i) => {
    // The original parsed each entry with parseInt, so ["128", "256"] meant 128 and 256 MB.
    const n = typeof v === 'string' ? decimalStringValue(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_POWER || n > MAX_POWER)
      bad.push(`entry ${i} is ${describeValue(v)}`);
    else numbers.push(n);
  });
  if (bad.length > 0) {
    throw new InputError(
      field,
      `${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}`,
      POWER_ACCEPTED,
    );
  }
  const unique = [...new Set(numbers)].sort((a, b) => a - b);
  if (unique.length > MAX_POWER_VALUE_COUNT) {
    throw new InputError(
      field,
      `${unique.length} distinct values are more than ${MAX_POWER_VALUE_COUNT}`,
      POWER_ACCEPTED,
    );
  }
  return unique;
}

const S3_ACCEPTED =
  '"s3://<bucket>/<key>" with a bucket name of 3-63 lowercase letters, digits, dots and hyphens ' +
  '(starting and ending with a letter or digit) and a non-empty key';

/** `s3://bucket/key`, checked against S3's bucket naming rules. */
export function readPayloadS3(value: unknown): PayloadS3Location {
  const field = 'payloadS3';
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, S3_ACCEPTED);
  if (!value.startsWith('s3://'))
    throw new InputError(field, `"${clip(value)}" does not start with "s3://"`, S3_ACCEPTED);
  const rest = value.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (bucket === '') throw new InputError(field, `"${clip(value)}" has no bucket name`, S3_ACCEPTED);
  if (!isValidBucketName(bucket))
    throw new InputError(field, `"${clip(bucket)}" is not a valid S3 bucket name`, S3_ACCEPTED);
  if (key === '')
    throw new InputError(field, `"${clip(value)}" has no object key after the bucket`, S3_ACCEPTED);
  if (utf8ByteLength(key) > 1024)
    throw new InputError(field, 'the object key is longer than 1024 bytes', S3_ACCEPTED);
  return { bucket, key, uri: value };
}

export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name)
  );
}

const STRATEGY_ACCEPTED = '"cost", "speed" or "balanced" (lower case; default "cost")';

export function readStrategy(value: unknown): Strategy {
  if (value === undefined) return 'cost';
  if (value === 'cost' || value === 'speed' || value === 'balanced') return value;
  throw new InputError('strategy', `got ${describeValue(value)}`, STRATEGY_ACCEPTED);
}

const EXPLORATION_ACCEPTED =
  '"grid" (the default: exactly the powerValues) or "model" (every MB between the smallest and largest powerValues, searched with a fitted curve)';

export function readExploration(field: string, value: unknown): ExplorationMode | undefined {
  if (value === undefined || value === 'grid' || value === 'model') return value;
  throw new InputError(field, `got ${describeValue(value)}`, EXPLORATION_ACCEPTED);
}

const ALIAS_ACCEPTED = 'an alias name of 1-128 letters, digits, "-" and "_", not only digits';

export function readAliasName(field: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, ALIAS_ACCEPTED);
  if (!isValidAliasName(value))
    throw new InputError(field, `"${clip(value)}" is not a valid alias name`, ALIAS_ACCEPTED);
  return value;
}

export function readProcessor(field: string, value: unknown): string {
  return parseProcessorTarget(value, field).functionName;
}

const EXCEPTIONS_ACCEPTED = `a list of up to ${MAX_ALLOWED_EXCEPTIONS} non-empty error type names, e.g. ["Runtime.ExitError"] (default [])`;

export function readAllowedExceptions(value: unknown): string[] {
  const field = 'allowedExceptions';
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new InputError(field, `expected an array, got ${describeValue(value)}`, EXCEPTIONS_ACCEPTED);
  if (value.length > MAX_ALLOWED_EXCEPTIONS)
    throw new InputError(field, `${value.length} entries`, EXCEPTIONS_ACCEPTED);
  const bad = value.map((v, i) => [v, i] as const).filter(([v]) => typeof v !== 'string' || v.trim() === '');
  if (bad.length > 0) {
    throw new InputError(
      field,
      bad.map(([v, i]) => `entry ${i} is ${describeValue(v)}`).join(', '),
      EXCEPTIONS_ACCEPTED,
    );
  }
  return [...(value as string[])];
}

const URL_ACCEPTED = 'an http:// or https:// URL with a host, e.g. "https://lambda-power-tuning.show/"';

export function readVisualizationUrl(value: unknown, defaultUrl: string): string {
  const field = 'visualizationURL';
  if (value === undefined) return defaultUrl;
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, URL_ACCEPTED);
  if (value.length > MAX_URL_LENGTH)
    throw new InputError(field, `longer than ${MAX_URL_LENGTH} characters`, URL_ACCEPTED);
  if (!/^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s]*)?$/.test(value)) {
    throw new InputError(field, `"${clip(value)}" is not an http(s) URL`, URL_ACCEPTED);
  }
  return value;
}

const PRICES_ACCEPTED =
  'an object {"perGbSecond": <number > 0>, "perRequest": <number >= 0>}, both optional, in the currency of the ' +
  "function's region";

export function readPrices(value: unknown): PriceOverrides {
  const field = 'prices';
  if (value === undefined) return {};
  if (!isPlainObject(value))
    throw new InputError(field, `expected an object, got ${describeValue(value)}`, PRICES_ACCEPTED);
  const unknownKeys = Object.keys(value).filter((k) => k !== 'perGbSecond' && k !== 'perRequest');
  if (unknownKeys.length > 0) {
    throw new InputError(
      field,
      `unknown key(s) ${unknownKeys.map((k) => `"${clip(k, 40)}"`).join(', ')}`,
      PRICES_ACCEPTED,
    );
  }
  const prices: PriceOverrides = {};
  const { perGbSecond, perRequest } = value;
  if (perGbSecond !== undefined) {
    if (typeof perGbSecond !== 'number' || !Number.isFinite(perGbSecond) || perGbSecond <= 0) {
      throw new InputError(field, `perGbSecond is ${describeValue(perGbSecond)}`, PRICES_ACCEPTED);
    }
    prices.perGbSecond = perGbSecond;
  }
  if (perRequest !== undefined) {
    if (typeof perRequest !== 'number' || !Number.isFinite(perRequest) || perRequest < 0) {
      throw new InputError(field, `perRequest is ${describeValue(perRequest)}`, PRICES_ACCEPTED);
    }
    prices.perRequest = perRequest;
  }
  return prices;
}

const CONSTRAINTS_ACCEPTED =
  'an object with at least one of maxDurationMs (ms, > 0, with percentile 50..99.9, default 95), ' +
  "maxCostPerInvocation (> 0, in the price table's currency), maxMemoryMb (128..10240), " +
  'e.g. {"percentile": 95, "maxDurationMs": 200}';
const CONSTRAINT_KEYS = ['percentile', 'maxDurationMs', 'maxCostPerInvocation', 'maxMemoryMb'] as const;

/** Constraints: absent stays absent; an object needs at least one bound. */
export function readConstraints(value: unknown): ConstraintsConfig | undefined {
  const field = 'constraints';
  if (value === undefined) return undefined;
  if (!isPlainObject(value))
    throw new InputError(field, `expected an object, got ${describeValue(value)}`, CONSTRAINTS_ACCEPTED);
  const unknownKeys = Object.keys(value).filter((k) => !(CONSTRAINT_KEYS as readonly string[]).includes(k));
  if (unknownKeys.length > 0) {
    throw new InputError(
      field,
      `unknown key(s) ${unknownKeys.map((k) => `"${clip(k, 40)}"`).join(', ')}`,
      CONSTRAINTS_ACCEPTED,
    );
  }
  const number = (key: string, min: number, max: number, minInclusive: boolean): number | undefined => {
    const v = value[key];
    if (v === undefined) return undefined;
    const ok = typeof v === 'number' && Number.isFinite(v) && (minInclusive ? v >= min : v > min) && v <= max;
    if (!ok) throw new InputError(`${field}.${key}`, `is ${describeValue(v)}`, CONSTRAINTS_ACCEPTED);
    return v;
  };
  const percentile = number('percentile', 50, 99.9, true);
  const maxDurationMs = number('maxDurationMs', 0, 900_000, false);
  const maxCostPerInvocation = number('maxCostPerInvocation', 0, 1000, false);
  const maxMemoryMb = number('maxMemoryMb', MIN_POWER, MAX_POWER, true);
  if (percentile !== undefined && maxDurationMs === undefined)
    throw new InputError(
      `${field}.percentile`,
      'is set without maxDurationMs, the bound it applies to',
      CONSTRAINTS_ACCEPTED,
    );
  if (maxDurationMs === undefined && maxCostPerInvocation === undefined && maxMemoryMb === undefined)
    throw new InputError(field, 'has no bound', CONSTRAINTS_ACCEPTED);
  return {
    percentile: percentile ?? DEFAULT_CONSTRAINT_PERCENTILE,
    ...(maxDurationMs !== undefined ? { maxDurationMs } : {}),
    ...(maxCostPerInvocation !== undefined ? { maxCostPerInvocation } : {}),
    ...(maxMemoryMb !== undefined ? { maxMemoryMb } : {}),
  };
}

const INVOCATIONS_PER_MONTH_NOTE =
  `or "${VOLUME_FROM_CLOUDWATCH}" to read it from the function's Invocations metric over volumeWindowDays; ` +
  "gives each size's monthly cost and the saving against today's size";

/**
 * A count, or "cloudwatch". A decimal string is read as its number: the CLI's
 * --invocations-per-month passes its text, since it takes either.
 */
export function readInvocationsPerMonth(
  field: string,
  value: unknown,
): number | typeof VOLUME_FROM_CLOUDWATCH | undefined {
  if (value === undefined || value === VOLUME_FROM_CLOUDWATCH) return value;
  const rule = {
    min: 1,
    max: MAX_INVOCATIONS_PER_MONTH,
    integer: true,
    note: INVOCATIONS_PER_MONTH_NOTE,
    numericStrings: true,
  };
  if (typeof value === 'string' && decimalStringValue(value) === undefined) {
    // Only the word is wrong (e.g. "CloudWatch"): say which word, not that numbers are expected.
    throw new InputError(
      field,
      `got ${describeValue(value)}; the only accepted word is "${VOLUME_FROM_CLOUDWATCH}" (lower case)`,
      `an integer from 1 to ${MAX_INVOCATIONS_PER_MONTH}; ${rule.note}`,
    );
  }
  return readNumber(field, value, rule);
}
