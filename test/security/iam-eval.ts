/**
 * A small model of how AWS authorizes the worker's calls against iam/worker-policy.json: which ARN
 * each call is checked against, and IAM's wildcard matching of `Resource` patterns. Allow/Deny
 * statements without conditions, which is all the worker policy uses.
 *
 * The ARN per action follows the Lambda developer guide ("Fine-tuning the Resources and Conditions
 * sections of policies": alias actions, PublishVersion, UpdateFunctionConfiguration and
 * ListVersionsByFunction have the resource type "Function"; Lambda compares the policy with the
 * request's FunctionName *and Qualifier*) and the Service Authorization Reference for Lambda
 * (CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases: resource type `function*` =
 * `arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}`, no alias-name condition key).
 */

export interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: unknown;
}

export interface Policy {
  Version: string;
  Statement: Statement[];
}

export interface LambdaCall {
  action: string;
  functionName: string;
  /** Version or alias sent as `Qualifier` (Invoke, GetFunction(Configuration), DeleteFunction). */
  qualifier?: string;
  /** The alias an alias action names (`Name`); AWS does not authorize on it, it is here for reading. */
  alias?: string;
}

export interface S3Call {
  action: 's3:GetObject';
  bucket: string;
  key: string;
}

/** A call IAM authorizes on no resource (see RESOURCELESS_ACTIONS). */
export interface ResourcelessCall {
  action: 'cloudwatch:GetMetricStatistics' | 'lambda:ListFunctions';
}

export type AwsCall = LambdaCall | S3Call | ResourcelessCall;

export interface Account {
  partition: string;
  region: string;
  account: string;
}

/** Authorized on the unqualified function ARN, whatever alias or version the request names. */
export const FUNCTION_ARN_ACTIONS: ReadonlySet<string> = new Set([
  'lambda:CreateAlias',
  'lambda:GetAlias',
  'lambda:UpdateAlias',
  'lambda:DeleteAlias',
  'lambda:ListAliases',
  'lambda:PublishVersion',
  'lambda:UpdateFunctionConfiguration',
  // Code updates change `$LATEST` only: the function's own ARN.
  'lambda:UpdateFunctionCode',
  'lambda:ListVersionsByFunction',
  // Tags belong to the function: ListTags takes its unqualified ARN (a version's or alias's is refused).
  'lambda:ListTags',
]);

/** Authorized on `function:NAME:QUALIFIER` when the request carries a Qualifier, else on `function:NAME`. */
export const QUALIFIED_ARN_ACTIONS: ReadonlySet<string> = new Set([
  'lambda:InvokeFunction',
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:DeleteFunction',
]);

export const isS3Call = (call: AwsCall): call is S3Call => call.action.startsWith('s3:');
export const isLambdaCall = (call: AwsCall): call is LambdaCall =>
  call.action.startsWith('lambda:') && !RESOURCELESS_ACTIONS.has(call.action);

/**
 * Actions with no resource type in the Service Authorization Reference (CloudWatch:
 * GetMetricStatistics lists none), which a policy can grant only on `"*"`.
 */
export const RESOURCELESS_ACTIONS: ReadonlySet<string> = new Set([
  'cloudwatch:GetMetricStatistics',
  // Lists every function of the account and region (a fleet's selection): no resource type either.
  'lambda:ListFunctions',
]);

/** The ARN AWS checks the policy against for this call. */
export function resourceArn(call: AwsCall, where: Account): string {
  if (isS3Call(call)) return `arn:${where.partition}:s3:::${call.bucket}/${call.key}`;
  if (!isLambdaCall(call)) return '*';
  const fn = `arn:${where.partition}:lambda:${where.region}:${where.account}:function:${call.functionName}`;
  if (FUNCTION_ARN_ACTIONS.has(call.action)) {
    if (call.qualifier !== undefined) throw new Error(`${call.action} takes no Qualifier`);
    return fn;
  }
  if (QUALIFIED_ARN_ACTIONS.has(call.action)) {
    if (call.alias !== undefined) throw new Error(`${call.action} names no alias; use qualifier`);
    return call.qualifier === undefined ? fn : `${fn}:${call.qualifier}`;
  }
  // An action nobody has looked up: extend the model (with a source) before trusting any decision.
  throw new Error(`no resource model for ${call.action}`);
}

/** IAM wildcards: `*` any run of characters, `?` one character. */
function glob(pattern: string, flags = ''): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, flags);
}

/**
 * Matches a `Resource` pattern against an ARN: the partition, service, region and account segments
 * one by one (a wildcard stays inside its segment), then the resource part, where `*` also matches
 * `:` and `/` (`function:my-fn*` matches `function:my-fn:1`, as the Lambda guide says).
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const split = (s: string): string[] | undefined => {
    const parts = s.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const a = split(arn);
  if (!p || !a) return false;
  return p.every((segment, i) => glob(segment).test(a[i] as string));
}

/** Action names are case-insensitive in IAM and may carry wildcards. */
const actionMatches = (pattern: string, action: string): boolean => glob(pattern, 'i').test(action);

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

/** Evaluates one call: an explicit Deny wins, then any Allow, else the implicit deny. */
export function decide(policy: Policy, call: AwsCall, where: Account): Decision {
  const arn = resourceArn(call, where);
  const applies = (s: Statement) =>
    s.Condition === undefined &&
    s.Action.some((a) => actionMatches(a, call.action)) &&
    s.Resource.some((r) => arnMatches(r, arn));
  if (policy.Statement.some((s) => s.Effect === 'Deny' && applies(s))) return 'explicit-deny';
  if (policy.Statement.some((s) => s.Effect === 'Allow' && applies(s))) return 'allow';
  return 'implicit-deny';
}

/** `<NAME>` placeholders left in the policy's resources. */
export function placeholders(policy: Policy): string[] {
  const names = policy.Statement.flatMap((s) => s.Resource.flatMap((r) => [...r.matchAll(/<([A-Z_]+)>/g)]));
  return [...new Set(names.map((m) => m[1] as string))].sort();
}

/** The policy as a user would attach it: every `<NAME>` replaced by `values[NAME]`. */
export function fillPlaceholders(policy: Policy, values: Record<string, string>): Policy {
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Resource: s.Resource.map((r) =>
        r.replace(/<([A-Z_]+)>/g, (whole, name: string) => values[name] ?? whole),
      ),
    })),
  };
}
