/**
 * A worker SIGKILLed while a model exploration publishes a size its curve proposed (between
 * rounds, `$LATEST` at that size): a fresh worker finishes the run, the size is measured, and the
 * function ends with its memory, description, versions and aliases as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { initialSizes } from '../../domain/exploration-plan.js';
import { killMidRun, startCrashRig, type CrashRig } from '../support/crash-rig.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { writeTestFunctions } from '../support/functions-file.js';

const NAME = 'explore-crash';
// Two threads: the curve's knee (3,538 MB) is not among the first sizes of 1,024–6,144 MB.
const functions = writeTestFunctions(
  { [NAME]: { cpuMs: 120, ioWaitMs: 10, threads: 2, relativeNoise: 0.03 } },
  {},
  { [NAME]: { memorySize: 1024 } },
);
const LOWEST = 1024;
const HIGHEST = 6144;

describe('worker crash while a model exploration publishes a proposed size', () => {
  let rig: CrashRig;
  // Updates stay in progress for a while, so the kill can land inside a setup step.
  before(async () => {
    rig = await startCrashRig(functions.file);
  });
  after(async () => rig?.stop());

  it('a new worker finishes the run and the function ends as it was', async () => {
    const lambda = lambdaClient(rig.emulator.url);
    const memory = async () =>
      (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: NAME }))).MemorySize;
    const before = await functionState(lambda, NAME);
    const first = initialSizes(LOWEST, HIGHEST);
    let proposed: number | undefined;
    try {
      // $LATEST at a size none of the first ones is: a proposed size is being set up.
      const { output } = await killMidRun(
        rig,
        'explore-crash',
        {
          lambdaARN: NAME,
          num: 5,
          powerValues: [LOWEST, HIGHEST],
          strategy: 'speed',
          confidence: 0.95,
          exploration: 'model',
        },
        async () => {
          const now = await memory();
          if (now !== undefined && now !== before.memorySize && !first.includes(now)) proposed = now;
          return proposed !== undefined;
        },
        { attempts: 3_000, everyMs: 10 },
      );
      assert.ok(output && proposed !== undefined, 'no proposed size was ever set up');
      assert.ok(
        output.exploration?.measured.includes(proposed),
        `${proposed} MB was measured after the crash`,
      );
      for (const power of first) assert.ok(output.exploration?.measured.includes(power));
      assert.ok(output.power !== null && output.exploration?.measured.includes(output.power));
      assert.deepEqual(await functionState(lambda, NAME), before);
    } finally {
      lambda.destroy();
    }
  });
});
