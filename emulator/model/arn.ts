import type { AccountScope } from '../http/function-name.js';

export function functionArn(scope: AccountScope, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** Lambda's timestamp format, e.g. 2024-05-01T12:00:00.000+0000. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
