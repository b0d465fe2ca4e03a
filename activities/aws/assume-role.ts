/**
 * Credentials of the role a target names (input roleArn): STS AssumeRole through the SDK's
 * temporary-credential provider, one session per role and run, shared by every client of that
 * session and renewed before it expires; STS's refusals become errors that name the role.
 *
 * The STS endpoint and the credentials that call it are the worker's standard configuration
 * (AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL, the default credential chain), read by the SDK.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { Context } from '@temporalio/activity';
import { runTag } from '../../domain/naming.js';
import type { TargetRole } from '../../domain/types.js';
import { ASSUME_ROLE_DENIED, errorName } from './errors.js';

type CredentialProvider = ReturnType<typeof fromTemporaryCredentials>;
export type RoleCredentials = Awaited<ReturnType<CredentialProvider>>;
export type RoleCredentialProvider = () => Promise<RoleCredentials>;

/**
 * One hour: the longest session a role allows unless its MaxSessionDuration was raised, and the
 * most STS grants a role chained from another role's session. Longer runs renew it.
 */
export const ROLE_SESSION_SECONDS = 3600;

/**
 * Renew this long before the end. The SDK's clients ask their provider again once less than 5
 * minutes are left, so the shared session must be renewed before that, or they would get the
 * same credentials back.
 */
export const RENEW_BEFORE_MS = 10 * 60_000;

/**
 * STS answers no retry can change: the caller may not assume the role (or it does not exist, or its
 * trust policy refuses the caller or the external id), a malformed request, the worker's own
 * credentials rejected, STS off in the region.
 */
const REFUSALS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'ValidationError',
  'InvalidParameterValue',
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
  'RegionDisabledException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

const SESSION_PREFIX = 'powertune';
/** STS's RoleSessionName: 2 to 64 characters of letters, digits and `+=,.@_-`. */
const MAX_SESSION_NAME = 64;

/**
 * `powertune-<run tag>-<workflow id>`, so CloudTrail in the target's account says which tool and
 * which run made each call (the run tag is the one in the run's alias names); `powertune` alone
 * outside a run.
 */
export function roleSessionName(run?: { workflowId: string; runId: string }): string {
  if (!run) return SESSION_PREFIX;
  const name = `${SESSION_PREFIX}-${runTag(run.runId)}-${run.workflowId}`.replace(/[^\w+=,.@-]/g, '-');
  return name.slice(0, MAX_SESSION_NAME);
}

/** The session name of the activity running now (see roleSessionName). */
export function currentRoleSessionName(): string {
  let execution: { workflowId: string; runId: string } | undefined;
  try {
    execution = Context.current().info.workflowExecution;
  } catch {
    // Not inside an activity (a test calling the activities' code directly).
  }
  return roleSessionName(execution);
}

/** One run's session of a role. */
export interface RoleSession {
  role: TargetRole;
  sessionName: string;
  /** Where STS is asked: the function's region when known, else the SDK's own (AWS_REGION, profile). */
  region: string | undefined;
}

/**
 * The role's credentials, fetched on first use and renewed RENEW_BEFORE_MS before they expire;
 * concurrent callers share one AssumeRole. A failure is not kept: the next call asks STS again.
 * `now` is the clock renewal is judged by (tests move it).
 */
export function roleCredentials(session: RoleSession, now: () => number = Date.now): RoleCredentialProvider {
  const assume = fromTemporaryCredentials({
    params: {
      RoleArn: session.role.arn,
      RoleSessionName: session.sessionName,
      DurationSeconds: ROLE_SESSION_SECONDS,
      ...(session.role.externalId !== undefined ? { ExternalId: session.role.externalId } : {}),
    },
    clientConfig: { region: session.region, maxAttempts: 3 },
  });
  let current: Promise<RoleCredentials> | undefined;
  let expiresAt = 0;
  return () => {
    if (!current || now() >= expiresAt - RENEW_BEFORE_MS) {
      const pending = assume().then(
        (credentials) => {
          // Without an expiry (STS always gives one) the session is renewed at each call.
          expiresAt = credentials.expiration?.getTime() ?? 0;
          return credentials;
        },
        (err: unknown) => {
          if (current === pending) current = undefined;
          throw assumeRoleError(session.role, err);
        },
      );
      current = pending;
      expiresAt = Number.POSITIVE_INFINITY;
    }
    return current;
  };
}

/** True for STS answers no retry can change (see REFUSALS). */
export const isRoleRefusal = (err: unknown): boolean => REFUSALS.has(errorName(err));

/**
 * STS's error with the role named in front. A refusal is named ASSUME_ROLE_DENIED, which the
 * activities' error classification (errors.ts) treats as permanent; anything else (throttling, 5xx, no
 * connection) keeps the fields that classification reads, so it is retried as before.
 */
export function assumeRoleError(role: TargetRole, err: unknown): Error {
  const source = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const name = errorName(err);
  const text = typeof source.message === 'string' ? source.message : String(err);
  const withId = role.externalId === undefined ? '' : ' with its external id';
  const message = `Assuming role ${role.arn}${withId} failed: ${name}: ${text}`;
  const error = new Error(message, { cause: err });
  if (isRoleRefusal(err)) {
    error.name = ASSUME_ROLE_DENIED;
    return error;
  }
  error.name = name;
  for (const field of ['code', '$metadata', '$fault', 'retryAfterSeconds'] as const) {
    if (source[field] !== undefined) Object.assign(error, { [field]: source[field] });
  }
  return error;
}
