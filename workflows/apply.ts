/**
 * Applying the recommendation (`autoOptimize`): the run's commit point. Once applying starts it
 * finishes, and the run completes, even if cancelled meanwhile: a half-applied configuration
 * would be worse than either.
 */
import { CancellationScope, CancelledFailure } from '@temporalio/workflow';
import type { LockResult } from '../activities/types.js';
import type { Architecture, FunctionTarget, TuningConfig } from '../domain/types.js';
import { switchArchitecture } from './setup.js';
import { CONTROL_PLANE, acts } from './activity-options.js';
import { withContext } from './steps.js';

export async function applyRecommendation(
  config: TuningConfig,
  target: FunctionTarget,
  power: number,
  lock: LockResult,
  /** A tuning over architectures: the run's tag and the architecture chosen. */
  switchTo?: { tag: string; architecture: Architecture },
): Promise<void> {
  if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('Workflow cancelled');
  await CancellationScope.nonCancellable(async () => {
    // A tuning over architectures applies the chosen one first (nothing when it is the function's own).
    if (switchTo) await switchArchitecture(target, switchTo.tag, lock, switchTo.architecture);
    await withContext(`Applying ${power} MB`, () =>
      acts.optimizeFunction.executeWithOptions({ ...CONTROL_PLANE, summary: `apply ${power} MB` }, [
        { target, power, alias: config.autoOptimizeAlias, originalDescription: lock.original.description },
      ]),
    );
  });
}
