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
import { LOCK_ALIAS, isLockHeldBy, isRunAlias, isRunVersionDescription } from '../domain/naming.js';
import type { AwsClients } from './aws-clients.js';
import { isNotFound, rethrowAws } from './aws-errors.js';
import { deleteAliasesAndVersions, ignoreMissing } from './deletion.js';
import { getAlias, listAllAliases, listAllVersions } from './lambda-control.js';
import { withKeepalive } from './keepalive.js';
import { setupActivities } from './setup.js';
import type { CleanupInput, CleanupResult } from './types.js';

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
