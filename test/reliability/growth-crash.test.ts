/**
 * A worker SIGKILLed while a run under a p95 bound publishes a contested size again over more
 * environments (between rounds, `$LATEST` at that size): a fresh worker finishes the growth and the
 * run, and the function ends with its memory, description, versions and aliases as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { killMidRun, startCrashRig, type CrashRig } from '../support/crash-rig.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { writeTestFunctions } from '../support/functions-file.js';

const NAME = 'grow-crash';
// 512 MB: about 62 ms a call, p95 about 73 ms; hosts 8% apart keep its verdict open on 4 of them.
const functions = writeTestFunctions(
  { [NAME]: { cpuMs: 15, ioWaitMs: 10, relativeNoise: 0.1, environmentSpread: 0.08 } },
  {},
  { [NAME]: { memorySize: 1024 } },
);
const SIZES = [512, 1024];
/** num 5 spreads each size over 4 environments (one fewer than num). */
const FIRST_VERSIONS = 1 + SIZES.length * 4;

describe('worker crash while a contested size is published over more environments', () => {
  let rig: CrashRig;
  before(async () => {
    rig = await startCrashRig(functions.file);
  });
  after(async () => rig?.stop());

  it('a new worker finishes the growth and the run, and the function ends as it was', async () => {
    const lambda = lambdaClient(rig.emulator.url);
    const before = await functionState(lambda, NAME);
    const published = async () =>
      (await rig.emulator.admin.events()).filter(
        (e) => e.operation === 'PublishVersion' && e.status < 300 && e.functionName === NAME,
      ).length;
    try {
      // The first version of the growth is out: the step publishing the others is under way.
      const { output } = await killMidRun(
        rig,
        'grow-crash',
        {
          lambdaARN: NAME,
          num: 5,
          powerValues: SIZES,
          strategy: 'cost',
          confidence: 0.95,
          constraints: { percentile: 95, maxDurationMs: 82 },
        },
        async () => (await published()) > FIRST_VERSIONS,
        { attempts: 6_000, everyMs: 25 },
      );
      assert.ok(output, 'the contested size never grew');
      assert.ok((output.hosts?.mostEnvironments ?? 0) >= 8, JSON.stringify(output.hosts));
      if (output.power !== null) {
        assert.equal(output.constraints?.sizes.find((s) => s.power === output.power)?.verdict, 'meets');
      }
      assert.deepEqual(await functionState(lambda, NAME), before);
    } finally {
      lambda.destroy();
    }
  });
});
