/**
 * Cleanup: delete exactly the aliases and versions this run created, found by the run's marker
 * (so a crash between creating and recording one leaks nothing), put `$LATEST` back when asked,
 * then release the lock and its saved version. Safe to repeat: whatever is already gone is
 * skipped, and a function deleted meanwhile leaves nothing to clean.
 *
 * A step that keeps failing does not stop the others (see cleanup-steps.ts): the activity then
 * fails listing what is left. The lock is released only once nothing else is left, so the
 * function stays marked (and `powertune cleanup` has the saved settings) until it is clean.
 */
import {
  DeleteAliasCommand,
  DeleteFunctionCommand,
  UpdateAliasCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { LOCK_ALIAS, isLockHeldBy, isRunAlias, isRunVersionDescription } from '../domain/naming.js';
import type { AwsClients } from './aws/clients.js';
import { isNotFound, rethrowAws } from './aws/errors.js';
import { CleanupSteps, noLeftovers, type CleanupLeftovers } from './cleanup-steps.js';
import { deleteAliasesAndVersions, ignoreMissing } from './deletion.js';
import { controlPlaneName } from './aws/function-name.js';
import { getAlias, getConfiguration, listAllAliases, listAllVersions } from './aws/lambda-control.js';
import { withKeepalive } from './keepalive.js';
import type { RetryOptions } from './aws/retry.js';
import { putBackArchitecture } from './aws/architecture-switch.js';
import { putBackLatest } from './setup.js';
import type { CleanupInput, CleanupResult, SavedVersion } from './types.js';

/** The function was deleted: nothing of it is left to clean. */
const GONE = Symbol('function gone');

/**
 * A listing that answers "no such function" is believed only once the function itself is gone
 * too: an endpoint that does not understand the name it was sent (moto's ListAliases, given an
 * ARN) answers the same, and taking that for a deletion would leave everything behind unreported.
 */
async function unlessGone<T>(
  lambda: LambdaClient,
  fn: string,
  call: () => Promise<T>,
): Promise<T | typeof GONE> {
  try {
    return await call();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await getConfiguration(lambda, fn);
    } catch (check) {
      if (isNotFound(check)) return GONE;
    }
    throw err;
  }
}

/**
 * Releases this run's lock: first moved off the saved version (a version an alias points at
 * cannot be deleted), then that version deleted if this run published it, then the lock itself.
 * Each step is repeatable; once the lock is gone nothing of it is touched again, because another
 * tuning may by then hold a new lock on the same version. A step that fails is recorded in
 * `steps` and what it leaves in `left`; when the saved version cannot be deleted, the lock is
 * pointed back at it, so the saved settings stay findable for `powertune cleanup`.
 */
export async function releaseLockAndSavedVersion(
  lambda: LambdaClient,
  functionName: string,
  tag: string,
  savedVersion: SavedVersion | undefined,
  steps: CleanupSteps,
  left: CleanupLeftovers,
): Promise<{ released: boolean; savedVersionDeleted: boolean }> {
  const notReleased = { released: false, savedVersionDeleted: false };
  const read = await steps.run(`GetAlias ${LOCK_ALIAS}`, () => getAlias(lambda, functionName, LOCK_ALIAS));
  if (!read.ok) {
    left.unchecked.push(`whether the lock alias ${LOCK_ALIAS} is still there`);
    return notReleased;
  }
  const lock = read.value;
  if (!lock || !isLockHeldBy(lock.Description, tag)) return notReleased;
  const pointed = lock.FunctionVersion ?? '$LATEST';
  const moveLock = (version: string) =>
    lambda.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: LOCK_ALIAS,
        FunctionVersion: version,
        Description: lock.Description,
      }),
    );
  let savedVersionDeleted = false;
  if (savedVersion?.created) {
    if (pointed !== '$LATEST') {
      const moved = await steps.run(`UpdateAlias ${LOCK_ALIAS} to $LATEST`, () => moveLock('$LATEST'));
      if (!moved.ok) {
        left.lock = { version: pointed };
        left.snapshot = savedVersion.version;
        return notReleased;
      }
    }
    const version = savedVersion.version;
    const deleted = await steps.run(`DeleteFunction version ${version}`, () =>
      ignoreMissing(() =>
        lambda.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version })),
      ),
    );
    if (!deleted.ok) {
      const back =
        pointed === version
          ? await steps.run(`UpdateAlias ${LOCK_ALIAS} back to ${version}`, () => moveLock(version))
          : { ok: false };
      left.lock = { version: back.ok ? version : '$LATEST' };
      left.snapshot = version;
      return notReleased;
    }
    savedVersionDeleted = deleted.value;
  }
  const removed = await steps.run(`DeleteAlias ${LOCK_ALIAS}`, () =>
    ignoreMissing(() =>
      lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: LOCK_ALIAS })),
    ),
  );
  if (!removed.ok) {
    left.lock = { version: savedVersion?.created ? '$LATEST' : pointed };
    return { released: false, savedVersionDeleted };
  }
  return { released: true, savedVersionDeleted };
}

export interface CleanupOptions {
  /** How each cleanup step is retried (tests shorten it). */
  stepRetry?: RetryOptions;
}

export function cleanupActivities(aws: AwsClients, opts: CleanupOptions = {}) {
  return {
    async cleanupRun(input: CleanupInput): Promise<CleanupResult> {
      return withKeepalive(() => cleanup(input));
    },
  };

  async function cleanup(input: CleanupInput): Promise<CleanupResult> {
    const lambda = aws.lambda(input.target.region, input.target.role);
    const label = input.target.functionName;
    const gone: CleanupResult = {
      deletedAliases: [],
      deletedVersions: [],
      restored: false,
      releasedLock: false,
      functionGone: true,
    };
    let fn: string;
    try {
      fn = await controlPlaneName(lambda, input.target);
    } catch (err) {
      rethrowAws(err, `Reading the configuration of ${label}`);
    }
    const steps = new CleanupSteps(opts.stepRetry);
    const left = noLeftovers();

    const aliases = await steps.run('ListAliases', () =>
      unlessGone(lambda, fn, () => listAllAliases(lambda, fn)),
    );
    const versions = await steps.run('ListVersionsByFunction', () =>
      unlessGone(lambda, fn, () => listAllVersions(lambda, fn)),
    );
    // Deleted during the tuning: nothing of it is left to clean.
    if ((aliases.ok && aliases.value === GONE) || (versions.ok && versions.value === GONE)) return gone;
    if (!aliases.ok) left.unchecked.push(`which aliases of this run (ptune-${input.tag}-*) exist`);
    if (!versions.ok) left.unchecked.push(`which versions of this run exist`);
    const runAliases =
      aliases.ok && aliases.value !== GONE
        ? aliases.value.map((a) => a.Name ?? '').filter((name) => isRunAlias(name, input.tag))
        : [];
    const runVersions =
      versions.ok && versions.value !== GONE
        ? versions.value
            .filter(
              (v) =>
                v.Version &&
                v.Version !== '$LATEST' &&
                isRunVersionDescription(v.Description ?? '', input.tag),
            )
            .map((v) => v.Version as string)
        : [];
    const deleted = await deleteAliasesAndVersions(lambda, fn, runAliases, runVersions, steps);
    left.aliases = deleted.leftAliases;
    left.versions = deleted.leftVersions;

    // Once another run holds the lock, `$LATEST` is that run's to change: leave it alone.
    let restored = false;
    const restore = input.restore;
    const savedCode = input.restoreArchitecture ? input.snapshot?.version : undefined;
    if (restore || savedCode) {
      const lock = await steps.run(`GetAlias ${LOCK_ALIAS}`, () => getAlias(lambda, fn, LOCK_ALIAS));
      const ours = lock.ok && (!lock.value || isLockHeldBy(lock.value.Description, input.tag));
      // Before the saved version goes with the lock: its package is what is put back.
      if (savedCode) {
        const back = ours
          ? await steps.run('UpdateFunctionCode $LATEST (original architecture)', () =>
              putBackArchitecture(lambda, fn, label, savedCode),
            )
          : { ok: lock.ok };
        if (!back.ok) left.architecture = savedCode;
      }
      if (restore) {
        if (!lock.ok) {
          left.latest = restore;
        } else if (ours) {
          const done = await steps.run('UpdateFunctionConfiguration $LATEST', () =>
            putBackLatest(lambda, fn, restore),
          );
          if (done.ok) restored = true;
          else left.latest = restore;
        }
      }
    }

    // Last: until here, another tuning must not start changing this function. With anything
    // left, the lock and its saved version stay too: the next tuning is then refused and told to run
    // `powertune cleanup`, which finds the original settings there.
    let releasedLock = false;
    if (steps.ok) {
      releasedLock = (await releaseLockAndSavedVersion(lambda, fn, input.tag, input.snapshot, steps, left))
        .released;
    } else {
      const lock = await steps.run(`GetAlias ${LOCK_ALIAS}`, () => getAlias(lambda, fn, LOCK_ALIAS));
      if (!lock.ok) {
        left.unchecked.push(`whether the lock alias ${LOCK_ALIAS} is still there`);
      } else if (lock.value && isLockHeldBy(lock.value.Description, input.tag)) {
        left.lock = { version: lock.value.FunctionVersion ?? '$LATEST' };
        if (input.snapshot?.created) left.snapshot = input.snapshot.version;
      }
    }
    if (!steps.ok) throw steps.failure(label, left);
    return {
      deletedAliases: deleted.deletedAliases,
      deletedVersions: deleted.deletedVersions,
      restored,
      releasedLock,
    };
  }
}
