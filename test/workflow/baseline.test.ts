/**
 * The baseline on the time-skipping test server with mocked activities: the function's current
 * size, when it is not among the sizes asked for, is set up, invoked and analysed like them, is
 * shown in the progress rows, and is named in the output; a budget the user set is kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrepareResult } from '../../activities/types.js';
import type { PowerTuningInput, TuningOutput, TuningProgress } from '../../domain/types.js';
import {
  FUNCTION_ARN,
  ORIGINAL,
  inputsOf,
  mockedTuning,
  startTimeSkippingEnv,
  type ActivityCall,
} from '../support/time-skipping.js';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

/** The function runs at 1536 MB (ORIGINAL), which the input does not ask for. */
async function runAt1536(
  input: PowerTuningInput,
): Promise<{ output: TuningOutput; calls: ActivityCall[]; progress: TuningProgress }> {
  const tuning = await mockedTuning(env, {
    async prepareTuning(config): Promise<PrepareResult> {
      return {
        functionName: config.target.name ?? config.target.functionName,
        region: 'us-east-1',
        architecture: 'x86_64',
        memorySize: ORIGINAL.memorySize,
        description: ORIGINAL.description,
        searchAttributesReady: false,
      };
    },
  });
  return tuning.run(async (start) => {
    const handle = await start(input);
    const output = (await handle.result()) as TuningOutput;
    const progress = await handle.query<TuningProgress>('progress');
    return { output, calls: tuning.calls, progress };
  });
}

void describe('the baseline: the function’s own size', () => {
  void it('joins the sizes asked for: set up, invoked, in the progress rows and the output', async () => {
    const { output, calls, progress } = await runAt1536({
      lambdaARN: FUNCTION_ARN,
      num: 5,
      powerValues: [512, 128],
      strategy: 'cost',
    });
    const setups = inputsOf(calls, 'setupPowerValue').map((s) => s.power);
    assert.deepEqual(setups, [128, 512, 1536], 'smallest first, the baseline among them');
    const invoked = inputsOf(calls, 'invokeBatch');
    assert.equal(
      invoked.filter((b) => b.power === 1536).reduce((n, b) => n + b.count, 0),
      5,
      'the baseline gets the same invocations as the others',
    );
    assert.deepEqual(
      output.results.map((r) => r.power),
      [128, 512, 1536],
    );
    assert.equal(output.currentPower, 1536);
    assert.equal(output.gridInvocations, 15);
    assert.deepEqual(
      progress.sizes.map((r) => [r.power, r.done, r.total]),
      [
        [128, 5, 5],
        [512, 5, 5],
        [1536, 5, 5],
      ],
    );
  });

  void it('adaptive: a default budget grows with it; a budget the user set stays the ceiling', async () => {
    const base = { lambdaARN: FUNCTION_ARN, num: 5, powerValues: [128, 512], confidence: 0.95 };
    const grown = await runAt1536(base);
    assert.deepEqual(
      grown.output.results.map((r) => r.power),
      [128, 512, 1536],
    );
    const capped = await runAt1536({ ...base, maxInvocations: 20 });
    assert.deepEqual(
      capped.output.results.map((r) => r.power),
      [128, 512, 1536],
    );
    assert.ok((capped.output.invocationsSpent ?? 0) <= 20, `${capped.output.invocationsSpent} spent`);
    // 3 sizes × num 5 do not fit in 12: the baseline is left out rather than the budget broken.
    const tight = await runAt1536({ ...base, maxInvocations: 12 });
    assert.deepEqual(
      tight.output.results.map((r) => r.power),
      [128, 512],
    );
    assert.equal(tight.output.currentPower, 1536);
  });

  void it('a dry run only checks the setup of the sizes asked for', async () => {
    const { output, calls } = await runAt1536({
      lambdaARN: FUNCTION_ARN,
      num: 5,
      powerValues: [128],
      dryRun: true,
    });
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      [128],
    );
    assert.deepEqual(
      output.results.map((r) => r.power),
      [128],
    );
  });
});
