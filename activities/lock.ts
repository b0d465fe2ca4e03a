/**
 * The per-function tuning lock: two tunings of one function would overwrite each other's
 * `$LATEST` settings, so the second is refused with a message saying who holds the lock.
 */
import { CreateAliasCommand, DeleteAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { LOCK_ALIAS, isLockHeldBy, lockDescription } from '../domain/naming.js';
import type { FunctionTarget } from '../domain/types.js';
import type { AwsClients } from './aws-clients.js';
import { isConflict, isNotFound, rethrowAws } from './aws-errors.js';
import { getAlias } from './lambda-control.js';

export interface LockInput {
  target: FunctionTarget;
  tag: string;
  workflowId: string;
}

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

export function lockActivities(aws: AwsClients) {
  return {
    async acquireTuningLock(input: LockInput): Promise<void> {
      const lambda = aws.lambda(input.target.region);
      const name = input.target.functionName;
      try {
        await lambda.send(
          new CreateAliasCommand({
            FunctionName: name,
            Name: LOCK_ALIAS,
            FunctionVersion: '$LATEST',
            Description: lockDescription(input.tag, input.workflowId),
          }),
        );
        return;
      } catch (err) {
        if (!isConflict(err)) rethrowAws(err, `Taking the tuning lock on ${name}`);
      }
      const holder = await getAlias(lambda, name, LOCK_ALIAS);
      // Ours already: an earlier attempt of this activity created it.
      if (isLockHeldBy(holder?.Description, input.tag)) return;
      throw ApplicationFailure.nonRetryable(
        `Another power tuning is in progress on ${name} (${holder?.Description ?? 'lock alias ' + LOCK_ALIAS}). ` +
          `Two tunings of one function would overwrite each other's settings, so this one was not started. ` +
          `Wait for the other to finish; if it is gone (e.g. terminated), delete the alias: ` +
          `aws lambda delete-alias --function-name ${name} --name ${LOCK_ALIAS}`,
        'ConcurrentTuning',
      );
    },
  };
}
