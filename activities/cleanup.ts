/**
 * Cleanup: delete exactly the aliases and versions this run created, found by the run's marker
 * (so a crash between creating and recording one leaks nothing), and put `$LATEST` back when asked.
 * Safe to repeat: whatever is already gone is skipped.
 */
import { DeleteAliasCommand, DeleteFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { heartbeat } from '@temporalio/activity';
import { isRunAlias, isRunVersionDescription } from '../domain/naming.js';
import type { AwsClients } from './aws-clients.js';
import { isNotFound, rethrowAws } from './aws-errors.js';
import { listAllAliases, listAllVersions } from './lambda-control.js';
import { releaseLock } from './lock.js';
import { withKeepalive } from './keepalive.js';
import { setupActivities } from './setup.js';
import type { CleanupInput, CleanupResult } from './types.js';

/** Lambda's control plane allows a handful of calls per second; stay well under it. */
const DELETE_CONCURRENCY = 4;

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lanes = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  });
  await Promise.all(lanes);
}

async function ignoreMissing(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function deleteRunResources(lambda: LambdaClient, functionName: string, tag: string) {
  const deletedAliases: string[] = [];
  const deletedVersions: string[] = [];
  const aliases = (await listAllAliases(lambda, functionName)).filter(
    (a) => a.Name && isRunAlias(a.Name, tag),
  );
  await eachLimited(aliases, DELETE_CONCURRENCY, async (alias) => {
    const name = alias.Name as string;
    if (
      await ignoreMissing(() =>
        lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: name })),
      )
    ) {
      deletedAliases.push(name);
    }
    heartbeat();
  });
  const versions = (await listAllVersions(lambda, functionName)).filter(
    (v) => v.Version && v.Version !== '$LATEST' && isRunVersionDescription(v.Description ?? '', tag),
  );
  await eachLimited(versions, DELETE_CONCURRENCY, async (v) => {
    const version = v.Version as string;
    const call = () =>
      lambda.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version }));
    if (await ignoreMissing(call)) deletedVersions.push(version);
    heartbeat();
  });
  return { deletedAliases: deletedAliases.sort(), deletedVersions: deletedVersions.sort((a, b) => +a - +b) };
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
    let deleted;
    try {
      deleted = await deleteRunResources(lambda, input.target.functionName, input.tag);
    } catch (err) {
      rethrowAws(err, `Cleaning up the versions and aliases of ${input.target.functionName}`);
    }
    if (input.restore) await restoreLatest({ target: input.target, ...input.restore });
    // Last: until here, another tuning must not start changing this function.
    let released;
    try {
      released = await releaseLock(lambda, input.target.functionName, input.tag);
    } catch (err) {
      rethrowAws(err, `Releasing the tuning lock on ${input.target.functionName}`);
    }
    return { ...deleted, restored: Boolean(input.restore), releasedLock: released };
  }
}
