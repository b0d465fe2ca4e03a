/**
 * Lambda accepts a function as a name, a partial ARN (`123456789012:function:name`) or a full
 * ARN, each optionally followed by `:qualifier`. This turns any of them into name + qualifier.
 */
import { FUNCTION_NAME_PATTERN } from '../model/definitions.js';
import { invalidParameter, notFound, validationError } from './errors.js';

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

export interface AccountScope {
  region: string;
  accountId: string;
}

const QUALIFIER_PATTERN = /^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/;

export function parseFunctionRef(
  raw: string,
  queryQualifier: string | undefined,
  scope: AccountScope,
): FunctionRef {
  const parts = raw.split(':');
  let name: string | undefined;
  let pathQualifier: string | undefined;
  let region = scope.region;
  let accountId = scope.accountId;
  if (
    parts[0] === 'arn' &&
    parts.length >= 7 &&
    parts.length <= 8 &&
    parts[2] === 'lambda' &&
    parts[5] === 'function'
  ) {
    region = parts[3] ?? '';
    accountId = parts[4] ?? '';
    name = parts[6];
    pathQualifier = parts[7];
  } else if (parts.length >= 3 && parts.length <= 4 && parts[1] === 'function') {
    accountId = parts[0] ?? '';
    name = parts[2];
    pathQualifier = parts[3];
  } else if (parts.length <= 2) {
    name = parts[0];
    pathQualifier = parts[1];
  }
  if (name === undefined || !FUNCTION_NAME_PATTERN.test(name)) {
    throw validationError(
      raw,
      'functionName',
      'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  if (region !== scope.region || accountId !== scope.accountId) {
    throw notFound(
      `Function not found: ${raw} (this emulator serves account ${scope.accountId} in ${scope.region})`,
    );
  }
  if (pathQualifier !== undefined && queryQualifier !== undefined && pathQualifier !== queryQualifier) {
    throw invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const qualifier = queryQualifier ?? pathQualifier;
  if (qualifier !== undefined && !QUALIFIER_PATTERN.test(qualifier)) {
    throw validationError(
      qualifier,
      'qualifier',
      'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)',
    );
  }
  return qualifier === undefined || qualifier === '' ? { name } : { name, qualifier };
}
