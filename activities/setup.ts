/**
 * Setup of one power value: set `$LATEST`'s memory, publish a version, point this run's alias at it;
 * then as many more versions as the size has cold slots and extra environments, each with its
 * own indexed alias. Safe to repeat: an alias that already exists from an earlier attempt is kept,
 * and the version description carries the run's marker, so a repeated publish returns this run's
 * own version.
 */
import { Context, heartbeat, log } from '@temporalio/activity';
import { withKeepalive } from './keepalive.js';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { LOCK_ALIAS, aliasName, isLockHeldBy, versionDescription } from '../domain/naming.js';
import type { AwsClients } from './aws/clients.js';
import { isNotFound, rethrowAws } from './aws/errors.js';
import { controlPlaneName } from './aws/function-name.js';
import {
  getAlias,
  getConfiguration,
  pointAlias,
  publishVersion,
  updateLatest,
  waitForVersionActive,
} from './aws/lambda-control.js';
import type { RestoreInput, SetupInput, SetupResult } from './types.js';

export function setupActivities(aws: AwsClients) {
  async function setupSlots(input: SetupInput): Promise<SetupResult> {
    const { target, tag, power } = input;
    const lambda = aws.lambda(target.region, target.role);
    const aliases: string[] = [];
    const coldAliases: string[] = [];
    const extraEnvironmentAliases: string[] = [];
    const coldSlots = input.coldSlots ?? 0;
    const environments = input.environments ?? 1;
    const signal = Context.current().cancellationSignal;
    let fn: string;
    try {
      fn = await controlPlaneName(lambda, target);
    } catch (err) {
      rethrowAws(err, `Reading the configuration of ${target.functionName}`);
    }
    // The warm version(s), then the cold slots, then the other environments: every slot after the
    // warm ones is indexed from 0 in that order, so cleanup knows their names as it knows cold ones.
    const slots = input.versions + coldSlots + environments - 1;
    for (let slot = 0; slot < slots; slot++) {
      // Cancelled: stop creating; the workflow's cleanup removes what exists.
      if (signal.aborted) throw signal.reason;
      const extra = slot >= input.versions;
      const extraCold = extra && slot < input.versions + coldSlots;
      const coldIndex = input.onlyColdStarts ? slot : extra ? slot - input.versions : undefined;
      const alias = aliasName(tag, power, coldIndex, input.architecture);
      try {
        const existing = await getAlias(lambda, fn, alias);
        if (!existing?.FunctionVersion) {
          await assertStillOurs(lambda, fn, target.functionName, tag, signal);
          await updateLatest(lambda, fn, {
            MemorySize: power,
            Description: versionDescription(
              tag,
              power,
              input.originalDescription,
              coldIndex,
              input.architecture,
            ),
          });
          await assertStillOurs(lambda, fn, target.functionName, tag, signal);
          const published = await publishVersion(lambda, fn);
          const version = published.Version;
          if (!version) throw new Error(`PublishVersion returned no version for ${power} MB`);
          if (published.MemorySize !== power) {
            throw new Error(
              `Published version ${version} has ${published.MemorySize} MB, expected ${power} MB`,
            );
          }
          const runsOn = published.Architectures?.[0] ?? 'x86_64';
          if (input.architecture !== undefined && runsOn !== input.architecture) {
            throw new Error(`Published version ${version} runs on ${runsOn}, expected ${input.architecture}`);
          }
          await pointAlias(lambda, fn, alias, version);
          log.info('published version for power value', { power, version, alias });
        }
        const config = await getConfiguration(lambda, fn, alias);
        if (config.State === 'Pending') await waitForVersionActive(lambda, fn, alias);
      } catch (err) {
        if (err instanceof ApplicationFailure || signal.aborted) throw err;
        rethrowAws(err, `Setting up ${power} MB (alias ${alias})`);
      }
      (extraCold ? coldAliases : extra ? extraEnvironmentAliases : aliases).push(alias);
      heartbeat({ slot });
    }
    return {
      power,
      aliases,
      ...(coldSlots > 0 ? { coldAliases } : {}),
      ...(environments > 1 ? { environmentAliases: [aliases[0] as string, ...extraEnvironmentAliases] } : {}),
      ...(input.architecture !== undefined ? { architecture: input.architecture } : {}),
    };
  }

  return {
    async setupPowerValue(input: SetupInput): Promise<SetupResult> {
      return withKeepalive(() => setupSlots(input));
    },

    /** Puts `$LATEST` back as it was, without publishing anything. */
    async restoreLatest(input: RestoreInput): Promise<void> {
      await withKeepalive(() => restore(input));
    },
  };

  async function restore(input: RestoreInput): Promise<void> {
    const lambda = aws.lambda(input.target.region, input.target.role);
    try {
      await putBackLatest(lambda, await controlPlaneName(lambda, input.target), input);
    } catch (err) {
      rethrowAws(err, 'Restoring $LATEST');
    }
  }
}

/** Sets `$LATEST` to these settings unless it already has them (shared with cleanup). */
export async function putBackLatest(
  lambda: LambdaClient,
  functionName: string,
  original: { memorySize: number; description: string },
): Promise<void> {
  const current = await getConfiguration(lambda, functionName);
  if (current.MemorySize === original.memorySize && (current.Description ?? '') === original.description)
    return;
  await updateLatest(lambda, functionName, {
    MemorySize: original.memorySize,
    Description: original.description,
  });
}

/** Whether the function is still there (its configuration can be read). */
async function functionExists(lambda: LambdaClient, functionName: string): Promise<boolean> {
  try {
    await getConfiguration(lambda, functionName);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/**
 * A step of a run that was terminated keeps going until it notices (its heartbeat is refused),
 * and `powertune cleanup` may meanwhile have put the function back and released the lock. Before
 * each change, stop if the run was cancelled or no longer holds the lock.
 */
export async function assertStillOurs(
  lambda: LambdaClient,
  functionName: string,
  label: string,
  tag: string,
  signal: AbortSignal,
) {
  if (signal.aborted) throw signal.reason;
  const lock = await getAlias(lambda, functionName, LOCK_ALIAS);
  // No lock alias because there is no function: say that, as the invocations do, not "lock lost".
  if (!lock && !(await functionExists(lambda, functionName))) {
    throw ApplicationFailure.nonRetryable(
      `${label} no longer exists: it was deleted while being tuned`,
      'ResourceNotFoundException',
    );
  }
  if (!isLockHeldBy(lock?.Description, tag)) {
    throw ApplicationFailure.nonRetryable(
      `This run no longer holds the tuning lock on ${label}, so it changes nothing more`,
      'LockLost',
    );
  }
}
