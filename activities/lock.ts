/**
 * The per-function tuning lock. Two tunings of one function would overwrite each other's
 * `$LATEST` settings, so the second is refused with a message saying who holds the lock.
 *
 * Taking the lock comes before reading anything to restore: the lock alias is created first
 * (atomically), then `$LATEST` is read and published as the saved version that the lock points
 * at. The original settings thus live with the lock, for this run's cleanup and for
 * `powertune cleanup` should this run be terminated.
 */
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  UpdateAliasCommand,
  type AliasConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import {
  CONCURRENT_TUNING,
  LOCK_ALIAS,
  STRANDED_TUNING,
  isAnyRunVersionDescription,
  isLockHeldBy,
  lockDescription,
  parseLockDescription,
  type LockHolder,
} from '../domain/naming.js';
import type { FunctionTarget } from '../domain/types.js';
import type { AwsClients } from './aws/clients.js';
import { ASSUME_ROLE_DENIED, errorName, isConflict, isNotFound, rethrowAws } from './aws/errors.js';
import { controlPlaneName } from './aws/function-name.js';
import { withKeepalive } from './keepalive.js';
import { getAlias, getConfiguration, newestVersionNumber, publishVersion } from './aws/lambda-control.js';
import { lockOwnerStatus, isOwnerGone } from './lock-owner.js';
import type { LockResult } from './types.js';

export interface LockInput {
  target: FunctionTarget;
  tag: string;
  workflowId: string;
}

/** The command that puts a stranded function back; named in every message about a stale lock. */
export const cleanupCommand = (functionName: string): string => `powertune cleanup ${functionName}`;

/** Deletes the lock if this run holds it; leaves anyone else's alone. */
export async function releaseLock(lambda: LambdaClient, functionName: string, tag: string): Promise<boolean> {
  const lock = await getAlias(lambda, functionName, LOCK_ALIAS);
  if (!isLockHeldBy(lock?.Description, tag)) return false;
  try {
    await lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: LOCK_ALIAS }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return true;
}

/**
 * Creates the lock on `$LATEST` unless it exists (creating an alias is atomic: of two runs only
 * one succeeds), then returns whatever lock is there, so the caller can tell whose it is.
 */
export async function createLock(
  lambda: LambdaClient,
  name: string,
  holder: LockHolder,
): Promise<AliasConfiguration | undefined> {
  try {
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: name,
        Name: LOCK_ALIAS,
        FunctionVersion: '$LATEST',
        Description: lockDescription(holder),
      }),
    );
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  return getAlias(lambda, name, LOCK_ALIAS);
}

export function lockActivities(aws: AwsClients) {
  return {
    async acquireTuningLock(input: LockInput): Promise<LockResult> {
      const lambda = aws.lambda(input.target.region, input.target.role);
      const name = input.target.functionName;
      try {
        return await withKeepalive(async () => {
          await assumeTargetRole(aws, input.target);
          return acquire(lambda, await controlPlaneName(lambda, input.target), input);
        });
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        rethrowAws(err, `Taking the tuning lock on ${name}`);
      }
    },
  };
}

/**
 * The lock is the run's first change, so the target's role is assumed before it, as the first AWS
 * call of the run: a role STS refuses fails the run with the function untouched. Other STS errors
 * (throttling, no connection) are retried like any call.
 */
async function assumeTargetRole(aws: AwsClients, target: FunctionTarget): Promise<void> {
  if (!target.role || !aws.assumeRole) return;
  try {
    await aws.assumeRole(target.region, target.role);
  } catch (err) {
    if (errorName(err) !== ASSUME_ROLE_DENIED) throw err;
    throw ApplicationFailure.nonRetryable(
      `${(err as Error).message}. Nothing was changed on ${target.functionName}.`,
      ASSUME_ROLE_DENIED,
    );
  }
}

/** `fn` is what the calls send (see aws/function-name.ts); messages name the function as the user gave it. */
async function acquire(lambda: LambdaClient, fn: string, input: LockInput): Promise<LockResult> {
  const name = input.target.functionName;
  let lock = await getAlias(lambda, fn, LOCK_ALIAS);
  if (!lock) {
    const versionsBefore = await newestVersionNumber(lambda, fn);
    lock = await createLock(lambda, fn, { tag: input.tag, workflowId: input.workflowId, versionsBefore });
  }
  const holder = parseLockDescription(lock?.Description);
  if (!lock || !holder || holder.tag !== input.tag) await refuse(name, lock?.Description);
  const versionsBefore = holder?.versionsBefore ?? 0;

  // Ours. A repeated attempt finds the version already saved.
  const pointed = lock?.FunctionVersion;
  if (pointed && pointed !== '$LATEST') {
    const saved = await getConfiguration(lambda, fn, pointed);
    return {
      original: { memorySize: saved.MemorySize ?? 128, description: saved.Description ?? '' },
      snapshotVersion: pointed,
      snapshotCreated: Number(pointed) > versionsBefore,
    };
  }

  const latest = await getConfiguration(lambda, fn);
  const original = { memorySize: latest.MemorySize ?? 128, description: latest.Description ?? '' };
  if (isAnyRunVersionDescription(original.description)) {
    // Settings left by a tuning whose lock was removed by hand: they are not the originals.
    throw ApplicationFailure.nonRetryable(
      `$LATEST of ${name} still carries the settings of an earlier tuning (its description starts with ` +
        `"${original.description.slice(0, 40)}…"), so its true original settings are unknown and this tuning ` +
        `was not started. Run \`${cleanupCommand(name)}\` to put back what can be restored, check the memory ` +
        `size, then start again.`,
      STRANDED_TUNING,
    );
  }
  const saved = await publishVersion(lambda, fn, original.description);
  const version = saved.Version;
  if (
    !version ||
    saved.MemorySize !== original.memorySize ||
    (saved.Description ?? '') !== original.description
  ) {
    // `$LATEST` changed between reading and publishing (someone else deployed): read again.
    throw ApplicationFailure.retryable(
      `The snapshot of ${name}'s settings (version ${version ?? '?'}) does not match $LATEST; it changed meanwhile`,
      'SnapshotMismatch',
    );
  }
  await lambda.send(
    new UpdateAliasCommand({
      FunctionName: fn,
      Name: LOCK_ALIAS,
      FunctionVersion: version,
      Description: lock?.Description,
    }),
  );
  return { original, snapshotVersion: version, snapshotCreated: Number(version) > versionsBefore };
}

async function refuse(name: string, description: string | undefined): Promise<never> {
  const holder = parseLockDescription(description);
  if (!holder) {
    throw ApplicationFailure.nonRetryable(
      `${name} has an alias named ${LOCK_ALIAS} that no tuning wrote (description "${description ?? ''}"). ` +
        `The tuner uses that name for its lock, so this tuning was not started. ` +
        `\`${cleanupCommand(name)} --dry-run\` shows what it would do about it.`,
      CONCURRENT_TUNING,
    );
  }
  const status = await lockOwnerStatus(holder, description ?? '');
  if (isOwnerGone(status)) {
    throw ApplicationFailure.nonRetryable(
      `${name} is still locked by tuning workflow ${holder.workflowId} (run ${holder.tag}), which is no longer ` +
        `running (${status}) and did not clean up: its versions, aliases and changed settings may still be there. ` +
        `Run \`${cleanupCommand(name)}\` to put back the original settings saved with the lock and remove the ` +
        `leftovers, then start again.`,
      STRANDED_TUNING,
    );
  }
  throw ApplicationFailure.nonRetryable(
    `Another power tuning is in progress on ${name} (workflow ${holder.workflowId}, run ${holder.tag}` +
      `${status === 'UNKNOWN' ? ', status unknown' : ''}). Two tunings of one function would overwrite each ` +
      `other's settings, so this one was not started. Wait for the other to finish or cancel it ` +
      `(powertune cancel ${holder.workflowId}); if it was terminated, \`${cleanupCommand(name)}\` puts the ` +
      `function back.`,
    CONCURRENT_TUNING,
  );
}
