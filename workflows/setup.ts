/**
 * The steps that change the function before sampling: lock it (saving its settings), inspect
 * it, publish one version and alias per memory size, then put `$LATEST` back. Each runs to its
 * end even when the run is cancelled (see `uninterruptible`), so cleanup never races one.
 */
import type {
  FunctionFacts,
  LockResult,
  SetupResult,
  SwitchArchitectureResult,
} from '../activities/types.js';
import { COLD_SAMPLES_PER_SIZE } from '../domain/limits.js';
import type { Architecture, FunctionTarget, TuningConfig } from '../domain/types.js';
import { CONTROL_PLANE, acts } from './activity-options.js';
import { uninterruptible, withContext } from './steps.js';

/**
 * The lock comes first: what to restore is read only once no other run can be changing it.
 * `held` gets the lock as soon as it is taken, even if the run is cancelled meanwhile, so
 * cleanup releases it and deletes the version holding the saved settings.
 */
export function lockFunction(
  target: FunctionTarget,
  tag: string,
  workflowId: string,
  held: (lock: LockResult) => void,
): Promise<LockResult> {
  return uninterruptible(
    () =>
      withContext('Locking the function', () =>
        acts.acquireTuningLock.executeWithOptions({ ...CONTROL_PLANE, summary: 'lock function' }, [
          { target, tag, workflowId },
        ]),
      ),
    held,
  );
}

/** The function's facts, and whether the worker can set the search attributes. */
export async function inspectFunction(
  config: TuningConfig,
): Promise<{ facts: FunctionFacts; workerHasSearchAttributes: boolean }> {
  const { searchAttributesReady, ...facts } = await withContext('Preparing the tuning', () =>
    acts.prepareTuning.executeWithOptions({ ...CONTROL_PLANE, summary: `inspect ${config.lambdaARN}` }, [
      { ...config, payload: { kind: 'single', body: undefined } },
    ]),
  );
  return { facts, workerHasSearchAttributes: searchAttributesReady };
}

/**
 * One size at a time: every setup step changes `$LATEST`. Then `$LATEST` gets its settings back.
 * The legacy workflow sets up through this too: its replayed histories expect these very calls.
 * `environments`: the run's warm versions per size (SamplingRun.environments; 1 for the legacy workflow).
 */
export async function setUpSizes(
  config: TuningConfig,
  target: FunctionTarget,
  tag: string,
  original: LockResult['original'],
  invocationsPerSize: number,
  environments = 1,
): Promise<SetupResult[]> {
  const setups: SetupResult[] = [];
  for (const power of config.powerValues)
    setups.push(await setUpSize(config, target, tag, original, invocationsPerSize, power, environments));
  await restoreLatest(target, original);
  return setups;
}

/**
 * Publishes one size's version(s) and alias(es); never cut off halfway. `environments`: the run's
 * warm versions per size, as sampling will share the calls among them (SamplingRun.environments).
 */
export function setUpSize(
  config: TuningConfig,
  target: FunctionTarget,
  tag: string,
  original: LockResult['original'],
  invocationsPerSize: number,
  power: number,
  environments: number,
  architecture?: Architecture,
): Promise<SetupResult> {
  const versions = config.onlyColdStarts ? invocationsPerSize : 1;
  const on = architecture === undefined ? '' : ` on ${architecture}`;
  return uninterruptible(() =>
    withContext(`Setting up ${power} MB${on}`, () =>
      acts.setupPowerValue.executeWithOptions({ ...CONTROL_PLANE, summary: `setup ${power} MB${on}` }, [
        {
          target,
          tag,
          power,
          originalDescription: original.description,
          versions,
          onlyColdStarts: config.onlyColdStarts,
          // Only with a cold-start rate, so runs without one keep their recorded inputs.
          ...(config.coldStartRate !== undefined
            ? { coldSlots: config.coldInvocations ?? COLD_SAMPLES_PER_SIZE }
            : {}),
          // Likewise only when spreading.
          ...(environments > 1 ? { environments } : {}),
          ...(architecture !== undefined ? { architecture } : {}),
        },
      ]),
    ),
  );
}

/** Puts `$LATEST`'s memory and description back, without publishing anything. */
export function restoreLatest(target: FunctionTarget, original: LockResult['original']): Promise<void> {
  return uninterruptible(() =>
    withContext('Restoring $LATEST', () =>
      acts.restoreLatest.executeWithOptions({ ...CONTROL_PLANE, summary: 'restore $LATEST' }, [
        { target, ...original },
      ]),
    ),
  );
}

/**
 * Puts the function's own code on `architecture` as `$LATEST` (activities/architecture.ts);
 * never cut off halfway, and only while this run holds the lock.
 */
export function switchArchitecture(
  target: FunctionTarget,
  tag: string,
  lock: LockResult,
  architecture: Architecture,
): Promise<SwitchArchitectureResult> {
  return uninterruptible(() =>
    withContext(`Switching to ${architecture}`, () =>
      acts.switchArchitecture.executeWithOptions({ ...CONTROL_PLANE, summary: `switch to ${architecture}` }, [
        { target, tag, savedVersion: lock.snapshotVersion, architecture },
      ]),
    ),
  );
}
