/**
 * The fleet's input, checked before anything happens: exactly one selector, the region, the
 * concurrency, and the tuning settings every function shares, checked once with the tuning's own
 * validator (their errors are named `tuning.<field>`). Every invalid field is reported at once.
 */
import { parseFunctionTarget, splitFunctionId } from './arn.js';
import { clip, describeValue } from './describe.js';
import { InputError, InputErrors, inputErrorList, isInputError } from './errors.js';
import type { FleetConfig, FleetSelector, FleetTuningSettings } from './fleet-types.js';
import { isPlainObject } from './json.js';
import { validateInput } from './validate.js';
import { readNumber } from './validate-fields.js';

/** Tunings at once per account and region when not said: gentle on the account's concurrency limit. */
export const DEFAULT_FLEET_CONCURRENCY = 4;
export const MAX_FLEET_CONCURRENCY = 50;
/**
 * Most functions in one fleet: the selection and every function's compact result travel from
 * one run to the next when the fleet continues as new, and must stay well below Temporal's 2 MB
 * payload limit (500 × under 1 KB, beside a payload of up to 256 KB).
 */
export const MAX_FLEET_FUNCTIONS = 500;
/** Lambda allows at most 50 tags per function. */
export const MAX_FLEET_TAGS = 50;

export const FLEET_KEYS = ['functions', 'prefix', 'tags', 'region', 'concurrency', 'tuning'] as const;
const SELECTOR_KEYS = ['functions', 'prefix', 'tags'] as const;

const ACCEPTED_SELECTOR =
  'exactly one of "functions" (a list of function names or ARNs), "prefix" (a function name prefix) ' +
  'or "tags" (an object such as {"team": "orders"})';
const ACCEPTED_PREFIX = 'the start of a function name: 1 to 64 letters, digits, "-" or "_"';
const ACCEPTED_REGION = 'an AWS region such as "us-east-1" or "eu-west-3"';
const ACCEPTED_TAGS = `an object of 1 to ${MAX_FLEET_TAGS} tags, each key 1 to 128 characters and each value a string of at most 256`;

/** The function the shared settings are checked with: any valid name does, none is contacted. */
const PLACEHOLDER_FUNCTION = 'fleet-member';

/** Validates and defaults a fleet input; throws InputErrors naming every invalid field. */
export function validateFleetInput(raw: unknown): FleetConfig {
  if (!isPlainObject(raw)) {
    throw new InputErrors([
      new InputError(
        'input',
        `expected a JSON object, got ${raw === undefined ? 'nothing' : describeValue(raw)}`,
        'an object such as {"prefix": "orders-", "tuning": {"num": 10}}',
      ),
    ]);
  }
  const errors: InputError[] = [];
  const read = <T>(reader: () => T): T | undefined => {
    try {
      return reader();
    } catch (err) {
      if (!isInputError(err)) throw err;
      errors.push(...inputErrorList(err));
      return undefined;
    }
  };
  for (const key of Object.keys(raw)) {
    if (!(FLEET_KEYS as readonly string[]).includes(key)) {
      errors.push(
        new InputError(
          clip(key, 60),
          'unknown parameter of a fleet',
          `the parameters ${FLEET_KEYS.join(', ')}`,
        ),
      );
    }
  }
  const selector = read(() => readSelector(raw));
  const region = read(() => (raw['region'] === undefined ? undefined : readRegion(raw['region'])));
  const concurrency = read(() =>
    readNumber('concurrency', raw['concurrency'], {
      min: 1,
      max: MAX_FLEET_CONCURRENCY,
      integer: true,
      default: DEFAULT_FLEET_CONCURRENCY,
      note: 'tunings at once per account and region',
    }),
  );
  const settings = read(() => readSharedSettings(raw['tuning']));
  if (errors.length > 0) throw new InputErrors(errors);
  const config: FleetConfig = {
    selector: selector!,
    concurrency: concurrency!,
    tuning: raw['tuning'] as FleetTuningSettings,
    shared: settings!.shared,
  };
  if (region !== undefined) config.region = region;
  if (settings!.role) config.role = settings!.role;
  return config;
}

function readSelector(raw: Record<string, unknown>): FleetSelector {
  const given = SELECTOR_KEYS.filter((key) => raw[key] !== undefined);
  if (given.length === 0) throw new InputError('selector', 'no function is selected', ACCEPTED_SELECTOR);
  if (given.length > 1) {
    throw new InputError(
      'selector',
      `${given.map((k) => `"${k}"`).join(' and ')} are both set`,
      ACCEPTED_SELECTOR,
    );
  }
  if (given[0] === 'functions') return { kind: 'functions', functions: readFunctions(raw['functions']) };
  if (given[0] === 'prefix') return { kind: 'prefix', prefix: readPrefix(raw['prefix']) };
  return { kind: 'tags', tags: readTags(raw['tags']) };
}

function readFunctions(value: unknown): string[] {
  const accepted =
    'a list of 1 to 500 function names, partial or full ARNs, unqualified (a fleet tunes each function’s $LATEST)';
  if (!Array.isArray(value))
    throw new InputError('functions', `expected a list, got ${describeValue(value)}`, accepted);
  if (value.length === 0) throw new InputError('functions', 'the list is empty', accepted);
  if (value.length > MAX_FLEET_FUNCTIONS) {
    throw new InputError(
      'functions',
      `${value.length} functions are more than ${MAX_FLEET_FUNCTIONS}`,
      accepted,
    );
  }
  const errors: InputError[] = [];
  value.forEach((entry, i) => {
    const field = `functions[${i}]`;
    try {
      const target = parseFunctionTarget(entry, field);
      if (target.qualifier !== undefined) {
        errors.push(
          new InputError(
            field,
            `"${clip(String(entry))}" names a version or alias`,
            'an unqualified name or ARN: a fleet tunes $LATEST; tune a version or alias on its own with `powertune run`',
          ),
        );
      }
    } catch (err) {
      if (!isInputError(err)) throw err;
      errors.push(...inputErrorList(err));
    }
  });
  if (errors.length > 0) throw new InputErrors(errors);
  // The same text twice is one function; a name and its ARN are merged once resolved.
  return [...new Set(value as string[])];
}

function readPrefix(value: unknown): string {
  if (typeof value !== 'string')
    throw new InputError('prefix', `expected a string, got ${describeValue(value)}`, ACCEPTED_PREFIX);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value))
    throw new InputError('prefix', `"${clip(value)}" cannot start a function name`, ACCEPTED_PREFIX);
  return value;
}

function readTags(value: unknown): Record<string, string> {
  if (!isPlainObject(value))
    throw new InputError('tags', `expected an object, got ${describeValue(value)}`, ACCEPTED_TAGS);
  const entries = Object.entries(value);
  if (entries.length === 0) throw new InputError('tags', 'no tag is given', ACCEPTED_TAGS);
  if (entries.length > MAX_FLEET_TAGS)
    throw new InputError('tags', `${entries.length} tags are more than ${MAX_FLEET_TAGS}`, ACCEPTED_TAGS);
  for (const [key, tagValue] of entries) {
    if (key.length === 0 || key.length > 128)
      throw new InputError('tags', `the key "${clip(key)}" has ${key.length} characters`, ACCEPTED_TAGS);
    if (typeof tagValue !== 'string' || tagValue.length > 256) {
      throw new InputError(
        `tags.${clip(key, 60)}`,
        typeof tagValue === 'string'
          ? `the value has ${tagValue.length} characters`
          : `expected a string, got ${describeValue(tagValue)}`,
        ACCEPTED_TAGS,
      );
    }
  }
  return { ...(value as Record<string, string>) };
}

/** A region is whatever a Lambda ARN accepts in that place (domain/arn.ts holds the rule). */
function readRegion(value: unknown): string {
  if (typeof value !== 'string')
    throw new InputError('region', `expected a string, got ${describeValue(value)}`, ACCEPTED_REGION);
  if (splitFunctionId(`arn:aws:lambda:${value}:000000000000:function:f`)?.region !== value)
    throw new InputError('region', `"${clip(value)}" is not an AWS region`, ACCEPTED_REGION);
  return value;
}

/**
 * The settings every function is tuned with, checked once by the tuning's validator with a
 * stand-in function, so a bad field fails the fleet before any function is listed or touched.
 */
function readSharedSettings(value: unknown): Pick<FleetConfig, 'shared' | 'role'> {
  const accepted =
    'an object with the input of a tuning, without "lambdaARN", such as {"num": 10, "strategy": "cost"}';
  if (value === undefined)
    throw new InputError('tuning', 'missing (it is required: at least "num")', accepted);
  if (!isPlainObject(value))
    throw new InputError('tuning', `expected an object, got ${describeValue(value)}`, accepted);
  if (value['lambdaARN'] !== undefined) {
    throw new InputError(
      'tuning.lambdaARN',
      'set, but a fleet chooses its functions itself',
      'no lambdaARN in the tuning settings: select the functions with "functions", "prefix" or "tags"',
    );
  }
  try {
    const {
      target,
      lambdaARN: _name,
      ...shared
    } = validateInput({ ...value, lambdaARN: PLACEHOLDER_FUNCTION });
    return target.role ? { shared, role: target.role } : { shared };
  } catch (err) {
    if (!isInputError(err)) throw err;
    throw new InputErrors(
      inputErrorList(err).map((e) => new InputError(`tuning.${e.field}`, e.problem, e.accepted)),
    );
  }
}
