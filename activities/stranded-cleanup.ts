/**
 * `powertune cleanup <function>`: finds what runs that never cleaned up left behind (their
 * `ptune-*` aliases, their marked versions, the lock and its saved version), puts `$LATEST` back to the
 * settings saved with the lock, and releases the lock. Refuses while the lock's run is alive.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { Context, log, sleep } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import {
  LOCK_ALIAS,
  isAnyRunAlias,
  isAnyRunVersionDescription,
  isLockHeldBy,
  parseLockDescription,
  runTag,
  stripRunMarker,
  type LockHolder,
} from '../domain/naming.js';
import type { AwsClients } from './aws/clients.js';
import { putBackArchitecture } from './aws/architecture-switch.js';
import { rethrowAws } from './aws/errors.js';
import { releaseLockAndSavedVersion } from './cleanup.js';
import { CleanupSteps, noLeftovers } from './cleanup-steps.js';
import { deleteAliasesAndVersions } from './deletion.js';
import { controlPlaneName } from './aws/function-name.js';
import { withKeepalive } from './keepalive.js';
import {
  getAlias,
  getConfiguration,
  listAllAliases,
  listAllVersions,
  updateLatest,
} from './aws/lambda-control.js';
import { createLock } from './lock.js';
import { lockOwnerStatus } from './lock-owner.js';
import type { RetryOptions } from './aws/retry.js';
import type { StrandedCleanupInput, StrandedCleanupReport } from './types.js';

export function strandedCleanupActivities(aws: AwsClients, opts: { stepRetry?: RetryOptions } = {}) {
  return {
    async cleanupStrandedFunction(input: StrandedCleanupInput): Promise<StrandedCleanupReport> {
      const lambda = aws.lambda(input.target.region, input.target.role);
      try {
        return await withKeepalive(async () =>
          cleanStranded(lambda, await controlPlaneName(lambda, input.target), input, opts.stepRetry),
        );
      } catch (err) {
        // Our own refusals, and a cancellation while waiting, are not AWS errors.
        if (err instanceof ApplicationFailure || err instanceof CancelledFailure) throw err;
        rethrowAws(err, `Cleaning up ${input.target.functionName}`);
      }
    },
  };
}

/** `fn` is what the calls send (see aws/function-name.ts); the report names the function as given. */
async function cleanStranded(
  lambda: LambdaClient,
  fn: string,
  input: StrandedCleanupInput,
  stepRetry: RetryOptions | undefined,
): Promise<StrandedCleanupReport> {
  const name = input.target.functionName;
  const report: StrandedCleanupReport = {
    functionName: name,
    dryRun: input.dryRun,
    aliases: [],
    versions: [],
    releasedLock: false,
    warnings: [],
  };

  let lock = await getAlias(lambda, fn, LOCK_ALIAS);
  let holder = parseLockDescription(lock?.Description);
  const ownLock = holder?.tag === input.tag;
  // True when the lock is this cleanup's own (taken now, or by an earlier attempt of it).
  let tookLock = ownLock;
  if (lock && !holder) {
    report.lock = { ownerStatus: 'not a tuning lock', pointsTo: lock.FunctionVersion ?? '?' };
    report.warnings.push(
      `The alias ${LOCK_ALIAS} was not written by a tuning (description "${lock.Description ?? ''}"); left as it is.`,
    );
  } else if (lock && holder && !ownLock) {
    const status = await lockOwnerStatus(holder, lock.Description ?? '');
    report.lock = {
      workflowId: holder.workflowId,
      runTag: holder.tag,
      ownerStatus: status,
      pointsTo: lock.FunctionVersion ?? '?',
    };
    if (status === 'RUNNING' || (status === 'UNKNOWN' && !input.force)) {
      throw ApplicationFailure.nonRetryable(
        status === 'RUNNING'
          ? `A tuning is running on ${name} (workflow ${holder.workflowId}); cleaning up now would pull its ` +
              `versions from under it. Cancel it (powertune cancel ${holder.workflowId}): a cancelled tuning cleans up by itself.`
          : `The tuning that holds the lock on ${name} (workflow ${holder.workflowId}) could not be looked up, so it ` +
              `may still be running. If you are sure it is not, run again with --force.`,
        'TuningRunning',
      );
    }
    // Terminating a workflow does not stop the activity it was running: a step that changes the
    // function (a setup publishing its version, say) may still finish on its worker after the
    // run closed, and would then undo this cleanup or leave a version behind. Give it time.
    const inFlight = await stepsStillFinishing(holder);
    const waitMs = inFlight ? inFlight.until - Date.now() : 0;
    if (inFlight && waitMs > 0) {
      if (input.dryRun) {
        report.warnings.push(
          `Workflow ${holder.workflowId} was ended during ${inFlight.steps.join(', ')}, which may still be ` +
            `finishing on its worker; the cleanup first waits ${Math.ceil(waitMs / 1000)} s for it.`,
        );
      } else {
        log.info('waiting for steps of the ended run that may still be running', {
          workflowId: holder.workflowId,
          steps: inFlight.steps,
          waitMs,
        });
        await sleep(waitMs);
        // The lock, the leftovers and `$LATEST` may all have changed meanwhile: start over.
        return cleanStranded(lambda, fn, input, stepRetry);
      }
    }
  } else if (!lock && !input.dryRun) {
    // No lock: take one for the time of the cleanup, so no tuning starts halfway through it.
    lock = await createLock(lambda, fn, { tag: input.tag, workflowId: input.workflowId });
    holder = parseLockDescription(lock?.Description);
    tookLock = true;
    if (!isLockHeldBy(lock?.Description, input.tag)) {
      throw ApplicationFailure.retryable(
        `A tuning took the lock on ${name} meanwhile; checking again`,
        'LockRace',
      );
    }
  }

  // Settings to put back: the saved version the lock points at, when there is one.
  const savedVersion =
    lock && holder && lock.FunctionVersion !== '$LATEST' ? lock.FunctionVersion : undefined;
  const latest = await getConfiguration(lambda, fn);
  const current = { memorySize: latest.MemorySize ?? 128, description: latest.Description ?? '' };
  if (savedVersion) {
    const saved = await getConfiguration(lambda, fn, savedVersion);
    const original = { memorySize: saved.MemorySize ?? 128, description: saved.Description ?? '' };
    if (original.memorySize !== current.memorySize || original.description !== current.description) {
      report.restore = { from: current, to: original };
    }
    // A run over both architectures may have left its saved code on the other one.
    const savedArchitecture = saved.Architectures?.[0] ?? 'x86_64';
    const latestArchitecture = latest.Architectures?.[0] ?? 'x86_64';
    if (savedArchitecture !== latestArchitecture) {
      if (saved.CodeSha256 === latest.CodeSha256) {
        report.architecture = { from: latestArchitecture, to: savedArchitecture };
      } else {
        report.warnings.push(
          `$LATEST runs on ${latestArchitecture} with other code than the saved version ${savedVersion} ` +
            `(${savedArchitecture}): it was deployed after the tuning started, so it is left as it is.`,
        );
      }
    }
  } else if (isAnyRunVersionDescription(current.description)) {
    // A marked description but no saved version (a run stopped before saving one, or a lock removed by
    // hand): the description can be recovered from the marker, the memory size cannot.
    report.restore = { from: current, to: { description: stripRunMarker(current.description) } };
    report.warnings.push(
      `No saved settings were found, so the memory size of $LATEST (${current.memorySize} MB) was left as it is; ` +
        `check it. The description was recovered from the tuning's marker and may have been cut at 256 characters.`,
    );
  }

  report.aliases = (await listAllAliases(lambda, fn))
    .map((a) => a.Name ?? '')
    .filter(isAnyRunAlias)
    .sort();
  report.versions = (await listAllVersions(lambda, fn))
    .filter((v) => v.Version && v.Version !== '$LATEST' && isAnyRunVersionDescription(v.Description))
    .map((v) => v.Version as string)
    .sort((a, b) => +a - +b);
  const savedVersionIsTuners =
    savedVersion !== undefined && Number(savedVersion) > (holder?.versionsBefore ?? Number.POSITIVE_INFINITY);
  if (savedVersionIsTuners) {
    // In number order, as the report of a real run lists them.
    report.versions = [...report.versions, savedVersion as string].sort((a, b) => +a - +b);
  }
  // Only a lock left by a tuning counts: the one this cleanup took for itself is no leftover.
  if (lock && holder && !tookLock) report.releasedLock = true;
  if (input.dryRun) return report;

  // Each step retried; one that keeps failing is listed at the end instead of stopping the rest.
  const steps = new CleanupSteps(stepRetry);
  const left = noLeftovers();
  const runVersions = report.versions.filter((v) => v !== savedVersion);
  const deleted = await deleteAliasesAndVersions(lambda, fn, report.aliases, runVersions, steps);
  left.aliases = deleted.leftAliases;
  left.versions = deleted.leftVersions;
  report.aliases = deleted.deletedAliases;
  if (report.architecture && savedVersion) {
    const back = await steps.run('UpdateFunctionCode $LATEST (original architecture)', () =>
      putBackArchitecture(lambda, fn, name, savedVersion),
    );
    if (!back.ok) left.architecture = savedVersion;
  }
  const restoreTo = report.restore?.to;
  if (restoreTo) {
    const done = await steps.run('UpdateFunctionConfiguration $LATEST', () =>
      updateLatest(lambda, fn, {
        ...(restoreTo.memorySize === undefined ? {} : { MemorySize: restoreTo.memorySize }),
        Description: restoreTo.description,
      }),
    );
    if (!done.ok) left.latest = restoreTo;
  }
  if (lock && holder) {
    if (savedVersion && !savedVersionIsTuners) {
      report.warnings.push(
        `The lock pointed at version ${savedVersion}, which existed before the tuning; kept.`,
      );
    }
    if (steps.ok) {
      // Released with the lock's own tag: the run's, or this cleanup's when it took the lock.
      const saved = savedVersion ? { version: savedVersion, created: savedVersionIsTuners } : undefined;
      const release = await releaseLockAndSavedVersion(lambda, fn, holder.tag, saved, steps, left);
      if (release.savedVersionDeleted && savedVersion) deleted.deletedVersions.push(savedVersion);
    } else {
      // Something is left: the lock stays, with the saved settings, until a later run finishes.
      left.lock = { version: lock.FunctionVersion ?? '$LATEST' };
      if (savedVersionIsTuners) left.snapshot = savedVersion;
    }
  }
  if (!steps.ok) throw steps.failure(name, left);
  report.versions = deleted.deletedVersions.sort((a, b) => +a - +b);
  return report;
}

/** How long after its run closed a step of it may still be changing the function on a worker. */
export const ORPHANED_STEP_GRACE_MS = 30_000;

/** Steps that never change the function's configuration, versions or aliases. */
const READ_ONLY_STEP = /^(invoke|prepareTuning$|analyze)/;

/**
 * The steps that change the function and were still open when the lock holder's run closed
 * (scheduled, never completed, failed, timed out or cancelled in its history), and until when
 * to give them. Undefined when none, or when the run's history cannot be read (then nothing
 * tells that a step is open, and waiting on every cleanup would only cost time).
 */
async function stepsStillFinishing(
  holder: LockHolder,
): Promise<{ until: number; steps: string[] } | undefined> {
  try {
    const client = Context.current().client;
    const run = await client.workflow.getHandle(holder.workflowId).describe();
    if (!run.closeTime || runTag(run.runId) !== holder.tag) return undefined;
    const history = await client.workflow.getHandle(holder.workflowId, run.runId).fetchHistory();
    const open = new Map<string, string>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) open.set(String(event.eventId), scheduled.activityType?.name ?? 'an unnamed step');
      const ended =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes;
      if (ended) open.delete(String(ended.scheduledEventId));
    }
    const steps = [...new Set(open.values())].filter((type) => !READ_ONLY_STEP.test(type));
    if (steps.length === 0) return undefined;
    return { until: run.closeTime.getTime() + ORPHANED_STEP_GRACE_MS, steps };
  } catch {
    return undefined;
  }
}
