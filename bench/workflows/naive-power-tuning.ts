/**
 * Benchmark only: the tuning as a naive design would write it, with one activity per invocation.
 * Same activities and options as the product workflow; only the batching differs, so comparing
 * the two shows what batching buys. Sequential invocations only (what scenario 5 measures).
 */
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { PowerTuningActivities } from '../../activities/index.js';
import type { SetupResult } from '../../activities/types.js';
import { runTag } from '../../domain/naming.js';
import type { InvocationResult, PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';

const options: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
};

const acts = proxyActivities<PowerTuningActivities>(options);

export async function naivePowerTuning(input: PowerTuningInput): Promise<TuningOutput> {
  const config = validateInput(input);
  const tag = runTag(workflowInfo().runId);
  const snapshot = await acts.prepareTuning(config);
  const target = { ...config.target, region: config.target.region ?? snapshot.region };
  const original = { memorySize: snapshot.memorySize, description: snapshot.description };
  await acts.acquireTuningLock({ target, tag, workflowId: workflowInfo().workflowId });
  try {
    const setups: SetupResult[] = [];
    for (const power of config.powerValues) {
      setups.push(
        await acts.setupPowerValue({
          target,
          tag,
          power,
          originalDescription: original.description,
          versions: 1,
          onlyColdStarts: false,
        }),
      );
    }
    await acts.restoreLatest({ target, ...original });

    const runs = await Promise.all(
      setups.map(async (setup) => {
        const invocations: InvocationResult[] = [];
        for (let index = 0; index < config.num; index++) {
          // The naive part: every single invocation is an activity of its own.
          const result = await acts.invokeBatch({
            target,
            power: setup.power,
            start: index,
            count: 1,
            total: config.num,
            aliases: setup.aliases,
            payload: config.payload,
            parallel: false,
            concurrency: 1,
            allowedExceptions: config.allowedExceptions,
            disablePayloadLogs: config.disablePayloadLogs,
          });
          invocations.push(...(result.results ?? []));
        }
        return { power: setup.power, invocations };
      }),
    );
    return await acts.analyzeResults({ config, snapshot, results: runs });
  } finally {
    await acts.cleanupRun({ target, tag, restore: original });
  }
}
