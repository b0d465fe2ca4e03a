/**
 * A tuning over several architectures (input `architectures`): one pass per architecture, the
 * function's own first. A pass on another architecture switches `$LATEST` there with the
 * function's own code, publishes its sizes, and switches back before it samples them, so
 * `$LATEST` runs on a foreign architecture only while versions are being published. Each pass
 * is analysed on its own (its own prices); domain/architectures.ts then chooses between them.
 * An architecture that cannot run the code (the switch is refused, or no size can be measured)
 * is reported with its reason, and the tuning goes on with the other.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { FunctionFacts, LockResult } from '../activities/types.js';
import {
  chooseArchitecture,
  passOrder,
  reportedOutput,
  type ArchitecturePass,
} from '../domain/architectures.js';
import type { Architecture, FunctionTarget, TuningConfig, TuningOutput } from '../domain/types.js';
import { setUpAndSample } from './pipeline.js';
import type { RunStatus } from './run-status.js';
import { analyze } from './sampling.js';
import { switchArchitecture } from './setup.js';

/**
 * Runs started since then take the other architecture when the difference of the two passes'
 * recommendations exceeds its own interval (domain/architectures.ts); older ones replay with the
 * two intervals apart.
 */
export const DIFFERENCE_INTERVAL_PATCH = 'architecture-difference-interval';

export interface ArchitecturesInput {
  config: TuningConfig;
  architectures: Architecture[];
  facts: FunctionFacts;
  target: FunctionTarget;
  tag: string;
  lock: LockResult;
  total: number;
  status: RunStatus;
}

/** Failures that make one architecture infeasible rather than failing the run. */
const ARCHITECTURE_FAILURES = new Set(['ArchitectureUnavailable', 'NoFeasiblePowerValue']);

export async function tuneArchitectures(input: ArchitecturesInput): Promise<TuningOutput> {
  const { config, facts, target, tag, lock, total, status } = input;
  const passes: ArchitecturePass[] = [];
  for (const architecture of passOrder(input.architectures, facts.architecture)) {
    const own = architecture === facts.architecture;
    status.progress.startPass(architecture, config.powerValues, total);
    status.enter('setup');
    try {
      // The pass's architecture prices its racing as it prices its analysis.
      const passFacts = { ...facts, architecture };
      const sampled = await setUpAndSample({
        config,
        facts: passFacts,
        target,
        tag,
        original: lock.original,
        total,
        status,
        ...(own
          ? {}
          : {
              foreign: {
                architecture,
                beforeSetup: async () => void (await switchArchitecture(target, tag, lock, architecture)),
                afterSetup: async () =>
                  void (await switchArchitecture(target, tag, lock, facts.architecture)),
              },
            }),
      });
      status.enter('analyzing');
      passes.push({ architecture, output: analyze(config, passFacts, sampled) });
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || !ARCHITECTURE_FAILURES.has(err.type ?? '')) throw err;
      // The switch back, when the switch or a size failed on the other architecture.
      if (!own) await switchArchitecture(target, tag, lock, facts.architecture);
      passes.push({ architecture, infeasibleReason: err.message });
    }
  }
  const { pass, report } = chooseArchitecture(passes, facts.architecture, {
    strategy: config.strategy,
    tolerance: config.sampling.tolerance,
    balancedWeight: config.balancedWeight,
    ...(patched(DIFFERENCE_INTERVAL_PATCH) ? { differenceInterval: true } : {}),
  });
  // With constraints no size of any architecture may meet: the own pass says so, as a run without architectures would.
  const shown = pass ?? passes.find((p) => p.output !== undefined);
  if (!shown?.output) {
    throw ApplicationFailure.nonRetryable(
      `No architecture could be measured: ${passes.map((p) => `${p.architecture}: ${p.infeasibleReason ?? 'no recommendation'}`).join('; ')}`,
      'NoFeasiblePowerValue',
    );
  }
  return reportedOutput(shown.output, report);
}
