/**
 * End-to-end tunings on a real Temporal dev server against the emulator: strategies, output
 * shape, parallel and paced invocations, bad input, and that nothing is left behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateAliasCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { hasAverages } from '../../domain/analysis.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({
  'tune-cpu': { cpuMs: 400, ioWaitMs: 10 },
  'tune-io': { cpuMs: 5, ioWaitMs: 100 },
  'tune-own-alias': { cpuMs: 50 },
  'tune-cold': { cpuMs: 0, ioWaitMs: 100, coldStartMs: 2000 },
});

describe('power tuning end to end', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('recommends the cheapest size, reports every size, and leaves the function as it was', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'tune-cpu');
    const out = await h.run({
      lambdaARN: 'tune-cpu',
      num: 5,
      powerValues: [128, 256, 512],
      includeOutputResults: true,
    });

    assert.deepEqual(
      out.results.map((r) => [r.power, r.invocations]),
      [
        [128, 5],
        [256, 5],
        [512, 5],
      ],
    );
    // 400 ms of CPU at 128 MB (0.072 vCPU) costs far more time than at 512 MB; cost is per GB-s.
    // Every size is feasible here, so each has its averages.
    const measured = out.results.filter(hasAverages);
    const [r128, r256, r512] = measured;
    assert.ok(r128 && r256 && r512);
    assert.ok(r128.averageDuration > r256.averageDuration && r256.averageDuration > r512.averageDuration);
    const cheapest = [...measured].sort((a, b) => a.averagePrice - b.averagePrice)[0];
    assert.equal(out.power, cheapest?.power);
    assert.equal(out.cost, cheapest?.averagePrice);
    assert.equal(out.duration, cheapest?.averageDuration);
    assert.deepEqual(Object.keys(out).slice(0, 5), ['power', 'cost', 'duration', 'stateMachine', 'stats']);
    assert.match(out.stateMachine.visualization, /^https:\/\/lambda-power-tuning\.show\/#[A-Za-z0-9+/=]+;/);
    assert.equal(out.stats?.length, 3);
    const lambdaCost = out.results.reduce((sum, r) => sum + r.totalCost, 0);
    assert.ok(Math.abs(out.stateMachine.lambdaCost - lambdaCost) < 1e-12);

    assert.deepEqual(await functionState(lambda, 'tune-cpu'), before);
  });

  it('speed picks the fastest size; balanced lies between the two', async () => {
    const speed = await h.run({
      lambdaARN: 'tune-cpu',
      num: 5,
      powerValues: [128, 512, 2048],
      strategy: 'speed',
    });
    assert.equal(speed.power, 2048);
    const cost = await h.run({ lambdaARN: 'tune-io', num: 5, powerValues: [128, 1024], strategy: 'cost' });
    // I/O-bound: more memory buys nothing, so the smallest size is cheapest.
    assert.equal(cost.power, 128);
  });

  it('runs parallel invocations and paced invocations with exact counts', async () => {
    const parallel = await h.run({
      lambdaARN: 'tune-io',
      num: 12,
      powerValues: [128, 256],
      parallelInvocation: true,
      maxParallelInvocations: 4,
    });
    assert.deepEqual(
      parallel.results.map((r) => r.invocations),
      [12, 12],
    );

    const handle = await h.start({
      lambdaARN: 'tune-io',
      num: 5,
      powerValues: [128, 256],
      sleepBetweenRunsMs: 20,
    });
    const paced = await handle.result();
    assert.deepEqual(
      paced.results.map((r: { invocations: number }) => r.invocations),
      [5, 5],
    );
    // The batch activity waits between consecutive invocations itself: no timer and no activity
    // per invocation, so long paced runs keep a small history.
    const history = await handle.fetchHistory();
    const timers = history.events?.filter((e) => e.timerStartedEventAttributes).length;
    assert.equal(timers, 0);
    const batches = history.events?.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'invokeBatch',
    );
    assert.equal(batches?.length, 2);
    // The progress query still answers after the run, with every invocation accounted for.
    const progress = await handle.query(progressQuery);
    assert.equal(progress.phase, 'done');
    // The Web UI's current details end with the recommendation and the statement behind it.
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    assert.match(metadata.currentDetails ?? '', new RegExp(`\\*\\*Recommended: ${paced.power} MB\\*\\*`));
    assert.ok(paced.confidence && (metadata.currentDetails ?? '').includes(paced.confidence.statement));
    assert.deepEqual(
      progress.sizes.map((p) => [p.power, p.done, p.total, p.errors]),
      [
        [128, 5, 5, 0],
        [256, 5, 5, 0],
      ],
    );
  });

  it('discardTopBottom drops the cold start from the average; 0 keeps it', async () => {
    // One environment per version: the first of 5 calls is cold (2,000 ms init), the rest 100 ms.
    const trimmed = await h.run({
      lambdaARN: 'tune-cold',
      num: 5,
      powerValues: [128],
      discardTopBottom: 0.2,
    });
    const kept = await h.run({ lambdaARN: 'tune-cold', num: 5, powerValues: [128], discardTopBottom: 0 });
    assert.equal(trimmed.results[0]?.coldStarts, 1);
    assert.equal(trimmed.duration, 100);
    assert.equal(kept.duration, (4 * 100 + 2100) / 5);
  });

  it('balanced weighs cost against speed by balancedWeight; a partial ARN names the function', async () => {
    const input = { lambdaARN: '123456789012:function:tune-cpu', num: 5, powerValues: [128, 1024, 3008] };
    const costLike = await h.run({ ...input, strategy: 'balanced', balancedWeight: 1 });
    const speedLike = await h.run({ ...input, strategy: 'balanced', balancedWeight: 0 });
    const cost = await h.run({ ...input, strategy: 'cost' });
    const speed = await h.run({ ...input, strategy: 'speed' });
    assert.equal(costLike.power, cost.power);
    assert.equal(speedLike.power, speed.power);
    assert.equal(costLike.functionName, 'tune-cpu');
  });

  it('refuses input that is not an object, at once and for good', async () => {
    const handle = await h.start('{"lambdaARN": "tune-cpu"}' as unknown as Record<string, unknown>);
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'InvalidInput');
      return true;
    });
    // One workflow task, no retries of a failing task.
    const history = await handle.fetchHistory();
    assert.equal(history.events?.filter((e) => e.workflowTaskFailedEventAttributes).length, 0);
  });

  it("never touches the user's own aliases and versions", async () => {
    const lambda = lambdaClient(h.emulator.url);
    const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'tune-own-alias' }));
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'tune-own-alias', Name: 'RAM128', FunctionVersion: v.Version }),
    );
    const before = await functionState(lambda, 'tune-own-alias');
    await h.run({ lambdaARN: 'tune-own-alias', num: 5, powerValues: [128, 256] });
    assert.deepEqual(await functionState(lambda, 'tune-own-alias'), before);
  });

  it('rejects bad input before any AWS call, naming the field', async () => {
    const eventsBefore = (await h.emulator.admin.events()).length;
    const handle = await h.start({ lambdaARN: 'tune-cpu', num: 5, strategy: 'Balanced' });
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'InvalidInput');
      assert.match(err.cause.message, /strategy/);
      assert.match(err.cause.message, /balanced/);
      return true;
    });
    assert.equal((await h.emulator.admin.events()).length, eventsBefore);
  });
});
