/**
 * Cleanup: delete exactly the aliases and versions this run created, found by the run's marker
 * (so a crash between creating and recording one leaks nothing), put `$LATEST` back when asked,
 * then release the lock and its snapshot version. Safe to repeat: whatever is already gone is
 * skipped, and a function deleted meanwhile leaves nothing to clean.
 */
import {
  DeleteAliasCommand,
  DeleteFunctionCommand,
  UpdateAliasCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { heartbeat } from '@temporalio/activity';
import {
  LOCK_ALIAS,
  isAnyRunAlias,
  isLockHeldBy,
  isRunAlias,
  isRunVersionDescription,
} from '../domain/naming.js';
import type { AwsClients } from './aws-clients.js';
import { isNotFound, rethrowAws } from './aws-errors.js';
import { getAlias, listAllAliases, listAllVersions } from './lambda-control.js';
import { withKeepalive } from './keepalive.js';
import { setupActivities } from './setup.js';
import { strandedCleanupActivities } from './stranded-cleanup.js';
import type { CleanupInput, CleanupResult } from './types.js';

/** Lambda's control plane allows a handful of calls per second; stay well under it. */
const DELETE_CONCURRENCY = 4;

export async function eachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const lanes = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  });
  await Promise.all(lanes);
}

/** Runs a delete; false when the thing was already gone. */
export async function ignoreMissing(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Deletes the given aliases, then the given versions (a version an alias points at cannot go first). */
export async function deleteAliasesAndVersions(
  lambda: LambdaClient,
  functionName: string,
  aliases: string[],
  versions: string[],
): Promise<{ deletedAliases: string[]; deletedVersions: string[] }> {
  const deletedAliases: string[] = [];
  const deletedVersions: string[] = [];
  // IAM cannot tell aliases apart (AWS checks alias actions against the function), so this is
  // where a user's alias such as `prod` is kept safe: only the tuner's own names are deleted.
  const unexpected = aliases.filter((name) => !isAnyRunAlias(name));
  if (unexpected.length > 0)
    throw new Error(`Refusing to delete aliases the tuner did not create: ${unexpected.join(', ')}`);
  await eachLimited(aliases, DELETE_CONCURRENCY, async (name) => {
    const call = () => lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: name }));
    if (await ignoreMissing(call)) deletedAliases.push(name);
    heartbeat();
  });
  await eachLimited(versions, DELETE_CONCURRENCY, async (version) => {
    const call = () =>
      lambda.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version }));
    if (await ignoreMissing(call)) deletedVersions.push(version);
    heartbeat();
  });
  return { deletedAliases: deletedAliases.sort(), deletedVersions: deletedVersions.sort((a, b) => +a - +b) };
}

async function deleteRunResources(lambda: LambdaClient, functionName: string, tag: string) {
  const aliases = (await listAllAliases(lambda, functionName))
    .map((a) => a.Name ?? '')
    .filter((name) => isRunAlias(name, tag));
  const versions = (await listAllVersions(lambda, functionName))
    .filter((v) => v.Version && v.Version !== '$LATEST' && isRunVersionDescription(v.Description ?? '', tag))
    .map((v) => v.Version as string);
  return deleteAliasesAndVersions(lambda, functionName, aliases, versions);
}

/**
 * Releases this run's lock: first moved off the snapshot (a version an alias points at cannot be
 * deleted), then the snapshot deleted if this run published it, then the lock itself. Each step
 * is repeatable; once the lock is gone nothing of it is touched again, because another tuning
 * may by then hold a new lock on the same version.
 */
export async function releaseLockAndSnapshot(
  lambda: LambdaClient,
  functionName: string,
  tag: string,
  snapshot: CleanupInput['snapshot'],
): Promise<boolean> {
  const lock = await getAlias(lambda, functionName, LOCK_ALIAS);
  if (!isLockHeldBy(lock?.Description, tag)) return false;
  if (snapshot?.created) {
    if (lock?.FunctionVersion !== '$LATEST') {
      await lambda.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: LOCK_ALIAS,
          FunctionVersion: '$LATEST',
          Description: lock?.Description,
        }),
      );
    }
    const version = snapshot.version;
    await ignoreMissing(() =>
      lambda.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version })),
    );
  }
  await ignoreMissing(() =>
    lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: LOCK_ALIAS })),
  );
  return true;
}

export function cleanupActivities(aws: AwsClients) {
  const { restoreLatest } = setupActivities(aws);
  return {
    async cleanupRun(input: CleanupInput): Promise<CleanupResult> {
      return withKeepalive(() => cleanup(input));
    },
    ...strandedCleanupActivities(aws),
  };

  async function cleanup(input: CleanupInput): Promise<CleanupResult> {
    const lambda = aws.lambda(input.target.region);
    const name = input.target.functionName;
    let deleted;
    try {
      deleted = await deleteRunResources(lambda, name, input.tag);
    } catch (err) {
      // Deleted during the tuning: nothing of it is left to clean.
      if (isNotFound(err))
        return {
          deletedAliases: [],
          deletedVersions: [],
          restored: false,
          releasedLock: false,
          functionGone: true,
        };
      rethrowAws(err, `Cleaning up the versions and aliases of ${name}`);
    }
    // Once another run holds the lock, `$LATEST` is that run's to change: leave it alone.
    let restored = false;
    if (input.restore) {
      const lock = await getAlias(lambda, name, LOCK_ALIAS);
      if (!lock || isLockHeldBy(lock.Description, input.tag)) {
        await restoreLatest({ target: input.target, ...input.restore });
        restored = true;
      }
    }
    // Last: until here, another tuning must not start changing this function.
    let released;
    try {
      released = await releaseLockAndSnapshot(lambda, name, input.tag, input.snapshot);
    } catch (err) {
      rethrowAws(err, `Releasing the tuning lock on ${name}`);
    }
    return { ...deleted, restored, releasedLock: released };
  }
}
