/**
 * The IAM role a tuning assumes to reach a function in another account (`roleArn`, `externalId`),
 * with IAM's and STS's own rules, so a typo is reported before anything is called.
 */
import { PARTITION } from './arn.js';
import { clip, describeValue } from './describe.js';
import { InputError } from './errors.js';
import type { TargetRole } from './types.js';

/** Role names: letters, digits and `+=,.@_-`, 1 to 64 characters (IAM's RoleName). */
const ROLE_NAME = '[\\w+=,.@-]{1,64}';
/** A role's path, between `role/` and its name: printable ASCII without spaces, each part ending in `/`. */
const ROLE_PATH = '(?:[!-~]+/)?';
const ROLE_ARN = new RegExp(`^arn:(${PARTITION}):iam::(\\d{12}):role/(${ROLE_PATH})(${ROLE_NAME})$`);
/** IAM's limit on a path, slashes included (the ARN leaves out its leading `/`). */
const MAX_ROLE_PATH = 512;

/** STS's ExternalId: 2 to 1224 characters of letters, digits and `+=,.@:/_-`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const ACCEPTED_ROLE_ARN =
  'an IAM role ARN "arn:<partition>:iam::<12-digit account>:role/[<path>/]<name>", such as ' +
  '"arn:aws:iam::123456789012:role/powertune-target" (name: 1-64 letters, digits and +=,.@_-)';

const ACCEPTED_EXTERNAL_ID =
  "2 to 1224 characters of letters, digits and +=,.@:/_- (as the role's trust policy expects)";

/** The parts of a role ARN, as the partition check across fields needs them. */
export interface ParsedRoleArn {
  partition: string;
  accountId: string;
  name: string;
}

/** Splits a role ARN, or returns undefined when it is not one. */
export function splitRoleArn(value: string): ParsedRoleArn | undefined {
  const match = ROLE_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, accountId, path, name] = match as unknown as string[];
  if ((path as string).length + 1 > MAX_ROLE_PATH) return undefined;
  return { partition: partition as string, accountId: accountId as string, name: name as string };
}

/** `roleArn`: the role, as given (absent: the worker's own credentials). */
export function readRoleArn(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, ACCEPTED_ROLE_ARN);
  if (!splitRoleArn(value))
    throw new InputError(field, `"${clip(value)}" is not an IAM role ARN`, ACCEPTED_ROLE_ARN);
  return value;
}

/** `externalId`: passed to AssumeRole as is (absent: none). */
export function readExternalId(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(field, `expected a string, got ${describeValue(value)}`, ACCEPTED_EXTERNAL_ID);
  if (!EXTERNAL_ID.test(value)) {
    const problem =
      value.length < 2 || value.length > 1224
        ? `${value.length} characters long`
        : `"${clip(value)}" has a character STS does not accept`;
    throw new InputError(field, problem, ACCEPTED_EXTERNAL_ID);
  }
  return value;
}

/** The role as a target carries it; the external id only when there is one. */
export function targetRole(roleArn: string, externalId: string | undefined): TargetRole {
  return externalId === undefined ? { arn: roleArn } : { arn: roleArn, externalId };
}

/**
 * Both fields at once, for the inputs that are not a tuning's (the cleanup workflow), with the
 * same rules as validate.ts: the role, or undefined without one; throws the InputError of the
 * first bad field.
 */
export function readTargetRole(
  roleArn: unknown,
  externalId: unknown,
  functionPartition: string | undefined,
): TargetRole | undefined {
  const arn = readRoleArn('roleArn', roleArn);
  const id = readExternalId('externalId', externalId);
  if (arn === undefined) {
    if (id !== undefined) throw externalIdWithoutRole();
    return undefined;
  }
  const problem = rolePartitionProblem(arn, functionPartition);
  if (problem) throw rolePartitionError(problem);
  return targetRole(arn, id);
}

/** The rule across the two fields: an external id belongs to an assumed role. */
export function externalIdWithoutRole(): InputError {
  return new InputError(
    'externalId',
    'set without "roleArn", so no role is assumed to pass it to',
    'externalId together with roleArn, or leave it out',
  );
}

/** The error of the partition rule (see rolePartitionProblem). */
export function rolePartitionError(problem: string): InputError {
  return new InputError('roleArn', problem, 'a role ARN in the partition of the function ARN');
}

/**
 * A role can be assumed only within its partition (aws, aws-cn, aws-us-gov, …): the message when a
 * full function ARN says the function is in another, or undefined when they agree.
 */
export function rolePartitionProblem(
  roleArn: string,
  functionPartition: string | undefined,
): string | undefined {
  const role = splitRoleArn(roleArn);
  if (!role || functionPartition === undefined || role.partition === functionPartition) return undefined;
  return (
    `the role is in partition "${role.partition}" and the function in "${functionPartition}"; ` +
    'STS issues credentials only within a partition'
  );
}
