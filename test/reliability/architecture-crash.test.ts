/**
 * A worker SIGKILLed while a tuning over both architectures has `$LATEST` on arm64 (the switch
 * done or still being applied): a fresh worker finishes the run, and the function ends with its
 * original code (CodeSha256), architecture, memory, description, versions and aliases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { killMidRun, startCrashRig, type CrashRig } from '../support/crash-rig.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { writeTestFunctions } from '../support/functions-file.js';

const NAME = 'arch-crash';
const functions = writeTestFunctions({
  [NAME]: { cpuMs: 30, ioWaitMs: 10, architectures: { arm64: { speedFactor: 0.8 } } },
});

describe('worker crash during an architecture switch', () => {
  let rig: CrashRig;
  // Updates stay in progress for a while, so the kill can land inside a setup step.
  before(async () => {
    rig = await startCrashRig(functions.file);
  });
  after(async () => rig?.stop());

  it('a new worker finishes the run and the function ends as it was', async () => {
    const lambda = lambdaClient(rig.emulator.url);
    const latest = () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: NAME }));
    const before = { state: await functionState(lambda, NAME), code: (await latest()).CodeSha256 };
    try {
      // $LATEST runs on arm64: the run is between switching there and back.
      const { output } = await killMidRun(
        rig,
        'arch-crash',
        { lambdaARN: NAME, num: 5, powerValues: [512, 1024], architectures: ['x86_64', 'arm64'] },
        async () => (await latest()).Architectures?.[0] === 'arm64',
        { attempts: 1_500, everyMs: 20 },
      );
      assert.ok(output, '$LATEST never ran on arm64');
      assert.deepEqual(
        output.architectures?.compared.map((c) => [c.architecture, c.power !== null]),
        [
          ['x86_64', true],
          ['arm64', true],
        ],
      );
      const end = await latest();
      assert.deepEqual(end.Architectures, ['x86_64']);
      assert.equal(end.CodeSha256, before.code);
      assert.deepEqual(await functionState(lambda, NAME), before.state);
    } finally {
      lambda.destroy();
    }
  });
});
