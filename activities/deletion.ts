/**
 * Deleting a tuning's aliases and versions: repeatable (what is already gone is skipped), paced
 * under Lambda's control-plane rate, never touching an alias the tuner did not create, and
 * going on past a delete that keeps failing (it is reported as left behind).
 * Shared by a run's own cleanup and by `powertune cleanup`.
 */
import { DeleteAliasCommand, DeleteFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { heartbeat } from '@temporalio/activity';
import { isAnyRunAlias } from '../domain/naming.js';
import { isNotFound } from './aws/errors.js';
import type { CleanupSteps } from './cleanup-steps.js';

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

/**
 * Deletes the given aliases, then the given versions (a version an alias points at cannot go
 * first). Each delete is a step of `steps`: retried, and when it still fails, left and listed
 * instead of stopping the others.
 */
export async function deleteAliasesAndVersions(
  lambda: LambdaClient,
  functionName: string,
  aliases: string[],
  versions: string[],
  steps: CleanupSteps,
): Promise<{
  deletedAliases: string[];
  deletedVersions: string[];
  leftAliases: string[];
  leftVersions: string[];
}> {
  const deletedAliases: string[] = [];
  const deletedVersions: string[] = [];
  const leftAliases: string[] = [];
  const leftVersions: string[] = [];
  // IAM cannot tell aliases apart (AWS checks alias actions against the function), so this is
  // where a user's alias such as `prod` is kept safe: only the tuner's own names are deleted.
  const unexpected = aliases.filter((name) => !isAnyRunAlias(name));
  if (unexpected.length > 0)
    throw new Error(`Refusing to delete aliases the tuner did not create: ${unexpected.join(', ')}`);
  await eachLimited(aliases, DELETE_CONCURRENCY, async (name) => {
    const done = await steps.run(`DeleteAlias ${name}`, () =>
      ignoreMissing(() => lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: name }))),
    );
    if (!done.ok) leftAliases.push(name);
    else if (done.value) deletedAliases.push(name);
    heartbeat();
  });
  await eachLimited(versions, DELETE_CONCURRENCY, async (version) => {
    const done = await steps.run(`DeleteFunction version ${version}`, () =>
      ignoreMissing(() =>
        lambda.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version })),
      ),
    );
    if (!done.ok) leftVersions.push(version);
    else if (done.value) deletedVersions.push(version);
    heartbeat();
  });
  const byNumber = (a: string, b: string) => +a - +b;
  return {
    deletedAliases: deletedAliases.sort(),
    deletedVersions: deletedVersions.sort(byNumber),
    leftAliases: leftAliases.sort(),
    leftVersions: leftVersions.sort(byNumber),
  };
}
