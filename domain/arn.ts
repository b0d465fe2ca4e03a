/**
 * Lambda function identifiers: full ARNs, partial ARNs and bare names, with Lambda's own
 * naming rules, so a typo is reported before anything is changed in the account.
 */
import { InputError } from './errors.js';
import { clip, describeValue } from './describe.js';
import { ALIAS_PREFIX, LOCK_ALIAS, isReservedAliasName } from './naming.js';
import type { FunctionTarget } from './types.js';

/** Lambda function names: letters, digits, hyphen, underscore; 1 to 64 characters. */
const NAME = '[A-Za-z0-9_-]{1,64}';
/** Version number, $LATEST, or an alias name (which Lambda allows up to 128 characters). */
const QUALIFIER = '\\$LATEST|[A-Za-z0-9_-]{1,128}';
/** aws, aws-cn, aws-us-gov, aws-iso-b, aws-eusc, … (role ARNs too: domain/role.ts). */
export const PARTITION = 'aws(?:-[a-z]+)*';
/** us-east-1, cn-north-1, us-gov-west-1, ap-southeast-5, eusc-de-east-1, … */
const REGION = '[a-z]{2,5}(?:-[a-z]+)+-\\d{1,2}';
const ACCOUNT = '\\d{12}';

const FULL_ARN = new RegExp(
  `^arn:(${PARTITION}):lambda:(${REGION}):(${ACCOUNT}):function:(${NAME})(?::(${QUALIFIER}))?$`,
);
const PARTIAL_ARN = new RegExp(`^(${ACCOUNT}):function:(${NAME})(?::(${QUALIFIER}))?$`);
const NAME_ONLY = new RegExp(`^(${NAME})(?::(${QUALIFIER}))?$`);

const ACCEPTED_TARGET =
  'a function name (letters, digits, "-" and "_", 1-64 characters), a partial ARN ' +
  '"123456789012:function:my-function" or a full ARN ' +
  '"arn:aws:lambda:us-east-1:123456789012:function:my-function", unqualified or ending in ":$LATEST", ' +
  "a version number or an alias name (then $LATEST must run that version's code)";

const ACCEPTED_PROCESSOR =
  'a function name, a partial ARN "123456789012:function:name" or a full ARN ' +
  '"arn:aws:lambda:<region>:<account>:function:<name>", optionally qualified with ":<version or alias>"';

/** One identifier split into its parts; `qualifier` is set only when one was written. */
export interface ParsedFunctionId {
  name: string;
  qualifier?: string;
  region?: string;
  accountId?: string;
  partition?: string;
  /** The identifier without its qualifier, in the form it was given. */
  unqualified: string;
}

/** Splits any accepted form, or returns undefined when the text is none of them. */
export function splitFunctionId(value: string): ParsedFunctionId | undefined {
  const full = FULL_ARN.exec(value);
  if (full) {
    const [, partition, region, accountId, name, qualifier] = full as unknown as string[];
    return compact({
      name: name as string,
      qualifier,
      region,
      accountId,
      partition,
      unqualified: `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
    });
  }
  // Anything starting with "arn:" must be a whole ARN, never a name with a qualifier.
  if (value.startsWith('arn:')) return undefined;
  const partial = PARTIAL_ARN.exec(value);
  if (partial) {
    const [, accountId, name, qualifier] = partial as unknown as string[];
    return compact({
      name: name as string,
      qualifier,
      accountId,
      unqualified: `${accountId}:function:${name}`,
    });
  }
  const bare = NAME_ONLY.exec(value);
  if (bare) {
    const [, name, qualifier] = bare as unknown as string[];
    return compact({ name: name as string, qualifier, unqualified: name as string });
  }
  return undefined;
}

/**
 * The function to tune. A version or alias may be named: the tuner still sets memory on $LATEST
 * and publishes its own versions from it (Lambda changes memory only there), so the run first
 * checks that $LATEST runs that version's code (see `qualifier` in FunctionTarget).
 */
export function parseFunctionTarget(value: unknown, field = 'lambdaARN'): FunctionTarget {
  if (value === undefined) throw new InputError(field, 'missing (it is required)', ACCEPTED_TARGET);
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, ACCEPTED_TARGET);
  if (value.length === 0) throw new InputError(field, 'empty string', ACCEPTED_TARGET);
  const parts = splitFunctionId(value);
  if (!parts)
    throw new InputError(field, `"${clip(value)}" is not a Lambda function name or ARN`, ACCEPTED_TARGET);
  if (parts.qualifier !== undefined && !isValidQualifier(parts.qualifier)) {
    throw new InputError(
      field,
      `qualifier ":${parts.qualifier}" is not a version number, $LATEST or alias name`,
      ACCEPTED_TARGET,
    );
  }
  if (parts.qualifier !== undefined && isReservedAliasName(parts.qualifier)) {
    throw new InputError(
      field,
      `qualifier ":${parts.qualifier}" is one of the tuner's own aliases (its lock "${LOCK_ALIAS}" and its ` +
        `"${ALIAS_PREFIX}-*" aliases), not a version of the function to tune`,
      ACCEPTED_TARGET,
    );
  }
  const target: FunctionTarget = { functionName: parts.unqualified, name: parts.name };
  if (parts.qualifier !== undefined && parts.qualifier !== '$LATEST') target.qualifier = parts.qualifier;
  if (parts.region !== undefined) target.region = parts.region;
  if (parts.accountId !== undefined) target.accountId = parts.accountId;
  if (parts.partition !== undefined) target.partition = parts.partition;
  return target;
}

/** True when a qualifier names a published version (a number), not an alias. */
export function isVersionNumber(qualifier: string): boolean {
  return /^[1-9]\d{0,9}$/.test(qualifier);
}

/** The region of a full function ARN (qualified or not). */
export function regionFromArn(value: unknown, field = 'lambdaARN'): string {
  const accepted = 'a full ARN "arn:<partition>:lambda:<region>:<account>:function:<name>"';
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, accepted);
  const parts = splitFunctionId(value);
  if (!parts || parts.region === undefined) {
    throw new InputError(field, `"${clip(value)}" is not a full Lambda ARN, so it names no region`, accepted);
  }
  return parts.region;
}

/** A pre- or post-processor: any accepted form, qualified or not. */
export interface ProcessorTarget {
  /** What to pass as FunctionName to Invoke (the text as given; Invoke accepts qualified forms). */
  functionName: string;
  name: string;
  qualifier?: string;
  region?: string;
  accountId?: string;
}

export function parseProcessorTarget(value: unknown, field: string): ProcessorTarget {
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, ACCEPTED_PROCESSOR);
  if (value.length === 0) throw new InputError(field, 'empty string', ACCEPTED_PROCESSOR);
  const parts = splitFunctionId(value);
  if (!parts)
    throw new InputError(field, `"${clip(value)}" is not a Lambda function name or ARN`, ACCEPTED_PROCESSOR);
  if (parts.qualifier !== undefined && !isValidQualifier(parts.qualifier)) {
    throw new InputError(
      field,
      `qualifier ":${parts.qualifier}" is not a version number, $LATEST or alias name`,
      ACCEPTED_PROCESSOR,
    );
  }
  const target: ProcessorTarget = { functionName: value, name: parts.name };
  if (parts.qualifier !== undefined) target.qualifier = parts.qualifier;
  if (parts.region !== undefined) target.region = parts.region;
  if (parts.accountId !== undefined) target.accountId = parts.accountId;
  return target;
}

export function isValidProcessorArn(value: unknown): boolean {
  try {
    parseProcessorTarget(value, 'processor');
    return true;
  } catch {
    return false;
  }
}

/** Alias names: 1-128 of [A-Za-z0-9_-], and not only digits (that would read as a version). */
export function isValidAliasName(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(value) && !/^\d+$/.test(value);
}

/** $LATEST, a version number (1 and up), or an alias name. */
export function isValidQualifier(value: string): boolean {
  return value === '$LATEST' || /^[1-9]\d{0,9}$/.test(value) || isValidAliasName(value);
}

function compact(parts: {
  name: string;
  qualifier: string | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  partition?: string | undefined;
  unqualified: string;
}): ParsedFunctionId {
  const out: ParsedFunctionId = { name: parts.name, unqualified: parts.unqualified };
  if (parts.qualifier !== undefined) out.qualifier = parts.qualifier;
  if (parts.region !== undefined) out.region = parts.region;
  if (parts.accountId !== undefined) out.accountId = parts.accountId;
  if (parts.partition !== undefined) out.partition = parts.partition;
  return out;
}
