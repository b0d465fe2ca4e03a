/**
 * A worker SIGKILLed while a tuning over both architectures has `$LATEST` on arm64 (the switch
 * done or still being applied): a fresh worker finishes the run, and the function ends with its
 * original code (CodeSha256), architecture, memory, description, versions and aliases.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { PowerTuningWorkflow } from '../../client/api.js';
import type { TuningOutput } from '../../domain/types.js';
import { POWER_TUNING_WORKFLOW } from '../../domain/workflow-api.js';
import { startCrashRig, type CrashRig } from '../support/crash-rig.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { startWorkerProcess } from '../support/worker-process.js';

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
    const workerOptions = await rig.workerOptions('arch-crash');
    const first = await startWorkerProcess(workerOptions);
    let second: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
    try {
      await first.ready;
      const handle = await rig.client.workflow.start<PowerTuningWorkflow>(POWER_TUNING_WORKFLOW, {
        taskQueue: workerOptions.taskQueue,
        workflowId: `arch-crash-${randomUUID()}`,
        args: [{ lambdaARN: NAME, num: 5, powerValues: [512, 1024], architectures: ['x86_64', 'arm64'] }],
      });
      let onArm = false;
      for (let i = 0; i < 1_500 && !onArm; i++) {
        onArm = (await latest()).Architectures?.[0] === 'arm64';
        if (!onArm) await sleep(20);
      }
      assert.ok(onArm, '$LATEST never ran on arm64');
      await first.kill('SIGKILL');
      second = await startWorkerProcess(workerOptions);
      await second.ready;
      const out = (await handle.result()) as TuningOutput;
      assert.deepEqual(
        out.architectures?.compared.map((c) => [c.architecture, c.power !== null]),
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
      await first.kill('SIGKILL');
      await second?.kill('SIGTERM');
      lambda.destroy();
    }
  });
});
