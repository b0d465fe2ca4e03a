/**
 * The sampling branches of the real powerTuning workflow, on the time-skipping test server with
 * mocked activities: the fixed grid, paced runs, sizes made infeasible by a batch, failed
 * invocations replaced, and adaptive sampling over several rounds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { InvokeBatchInput } from '../../activities/types.js';
import { fnv1a } from '../../domain/naming.js';
import { payloadDigest } from '../../domain/payload-ref.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { InvocationResult, PowerTuningInput, TuningOutput, TuningProgress } from '../../domain/types.js';
import { createRng } from '../support/prng.js';
import {
  FUNCTION_ARN,
  ORIGINAL,
  SNAPSHOT_VERSION,
  callNames,
  inputsOf,
  mockActivities,
  mockedTuning,
  modelDuration,
  modelResult,
  runTuning,
  runToFailure,
  startTimeSkippingEnv,
  type ActivityCall,
  type MockActivities,
} from '../support/time-skipping.js';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

/** (power, round, batch number) of an invokeBatch call, read from its activity id. */
function batchId(call: ActivityCall): { power: number; round: number; batch: number } {
  const m = /^invoke-(\d+)-r(\d+)-(\d+)$/.exec(call.activityId);
  assert.ok(m, `unexpected invokeBatch activity id ${call.activityId}`);
  return { power: Number(m[1]), round: Number(m[2]), batch: Number(m[3]) };
}

const batches = (calls: ActivityCall[]) =>
  calls
    .filter((c) => c.name === 'invokeBatch')
    .map((c) => ({ ...batchId(c), input: c.input as InvokeBatchInput }));

/** Runs a tuning and also returns its final progress (the `progress` query of the closed run). */
async function runWithProgress(
  input: PowerTuningInput,
  overrides: Partial<MockActivities> = {},
): Promise<{ output: TuningOutput; calls: ActivityCall[]; progress: TuningProgress }> {
  const tuning = await mockedTuning(env, overrides);
  return tuning.run(async (start) => {
    const handle = await start(input);
    const output = (await handle.result()) as TuningOutput;
    const progress = await handle.query<TuningProgress>('progress');
    return { output, calls: tuning.calls, progress };
  });
}

void describe('sampling in the workflow', () => {
  void it('fixed grid: locks, sets up each size in order, restores $LATEST, invokes, recommends, cleans up', async () => {
    const input: PowerTuningInput = {
      lambdaARN: FUNCTION_ARN,
      num: 5,
      powerValues: [1024, 128, 512],
      strategy: 'speed',
      payload: { hello: 'world' },
    };
    const { output, calls, progress } = await runWithProgress(input);

    // Each size invokes as soon as it is set up (pipelined), so setups and batches interleave.
    assert.deepEqual(callNames(calls).slice(0, 3), ['acquireTuningLock', 'prepareTuning', 'setupPowerValue']);
    assert.deepEqual(callNames(calls).slice(3, -1).sort(), [
      'invokeBatch',
      'invokeBatch',
      'invokeBatch',
      'restoreLatest',
      'setupPowerValue',
      'setupPowerValue',
    ]);
    assert.equal(calls.at(-1)?.name, 'cleanupRun');
    const lastSetup = callNames(calls).lastIndexOf('setupPowerValue');
    assert.ok(callNames(calls).indexOf('restoreLatest') > lastSetup, '$LATEST is put back after every setup');
    const [lock] = inputsOf(calls, 'acquireTuningLock');
    assert.ok(lock);
    assert.equal(lock.target.functionName, FUNCTION_ARN);
    assert.equal(lock.target.region, 'us-east-1');
    // Sizes are set up one at a time, smallest first (each setup changes $LATEST).
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => [s.power, s.versions, s.originalDescription, s.tag]),
      [128, 512, 1024].map((p) => [p, 1, ORIGINAL.description, lock.tag]),
    );
    const [restore] = inputsOf(calls, 'restoreLatest');
    assert.deepEqual({ memorySize: restore?.memorySize, description: restore?.description }, ORIGINAL);

    // One batch of every invocation per size, sent the payload by reference, never inline.
    const digest = payloadDigest({ kind: 'single', body: JSON.stringify(input.payload) });
    for (const b of batches(calls)) {
      assert.equal(b.round, 1);
      assert.deepEqual(
        [b.input.start, b.input.count, b.input.total, b.input.aliases],
        [0, 5, 5, [`alias-${b.power}`]],
      );
      assert.deepEqual(b.input.payloadRef, { digest });
      assert.equal(b.input.payload, undefined);
      assert.equal(b.input.resultForm, 'summary');
      assert.equal(b.input.stopOn, 'resource');
    }
    assert.deepEqual(
      batches(calls)
        .map((b) => b.power)
        .sort((a, b) => a - b),
      [128, 512, 1024],
    );

    // The recommendation comes from the batches' summaries: the fastest size, with its mean.
    assert.equal(output.power, 1024);
    assert.equal(output.optimized, false);
    for (const r of output.results) {
      assert.equal(r.invocations, 5);
      assert.equal(r.feasible, true);
      // modelDuration spreads 0..4 ms around a base: the trimmed mean is the middle value.
      assert.equal(r.averageDuration, modelDuration(r.power, 2));
    }
    assert.deepEqual(
      progress.sizes.map((p) => [p.power, p.done, p.total]),
      [128, 512, 1024].map((p) => [p, 5, 5]),
    );
    assert.equal(progress.phase, 'done');

    const [cleanup] = inputsOf(calls, 'cleanupRun');
    assert.deepEqual(cleanup?.restore, ORIGINAL);
    assert.deepEqual(cleanup?.snapshot, { version: SNAPSHOT_VERSION, created: true });
    assert.equal(cleanup?.tag, lock.tag);
  });

  void it('paced runs: 5-minute pauses are passed to batches that each wait at most 10 minutes', async () => {
    const sleepBetweenRunsMs = 5 * 60_000;
    // What the workflow had scheduled when the first batch of 256 MB (set up last) began.
    const scheduledAtFirst: string[] = [];
    const normal = mockActivities([]);
    const { output, calls } = await runTuning(
      env,
      { lambdaARN: FUNCTION_ARN, num: 5, powerValues: [128, 256], sleepBetweenRunsMs },
      {
        async invokeBatch(input) {
          const info = activityInfo();
          if (info.activityId === 'invoke-256-r1-1') {
            const handle = env.client.workflow.getHandle(info.workflowExecution?.workflowId ?? '');
            for (const event of (await handle.fetchHistory()).events ?? []) {
              const id = event.activityTaskScheduledEventAttributes?.activityId;
              if (id?.startsWith('invoke-')) scheduledAtFirst.push(id);
            }
          }
          return normal.invokeBatch(input);
        },
      },
    );
    // Both sizes run side by side (128 MB started first), but a size's next batch waits for the
    // one before: it carries on the pacing where that one stopped.
    assert.ok(scheduledAtFirst.includes('invoke-128-r1-1'), scheduledAtFirst.join(', '));
    assert.deepEqual(
      scheduledAtFirst.filter((id) => id.startsWith('invoke-256-')),
      ['invoke-256-r1-1'],
    );
    for (const power of [128, 256]) {
      const mine = batches(calls).filter((b) => b.power === power);
      // Two pauses of 5 minutes fill a batch's 10 minutes: batches of 2, 2 and 1, in order.
      assert.deepEqual(
        mine.map((b) => [b.batch, b.input.start, b.input.count, b.input.total]),
        [
          [1, 0, 2, 5],
          [2, 2, 2, 5],
          [3, 4, 1, 5],
        ],
      );
      for (const b of mine) assert.equal(b.input.sleepBetweenMs, sleepBetweenRunsMs);
      assert.equal(output.results.find((r) => r.power === power)?.invocations, 5);
    }
  });

  void it('a batch reporting out of memory makes its size infeasible; its other batches never run', async () => {
    const oom = '128 MB ran out of memory (Runtime.OutOfMemory)';
    const normal = mockActivities([]);
    // 120 invocations per size: three batches (50, 50, 20).
    const { output, calls, progress } = await runWithProgress(
      {
        lambdaARN: FUNCTION_ARN,
        num: 120,
        powerValues: [128, 512, 1024],
        strategy: 'cost',
        includeOutputResults: true,
      },
      {
        async invokeBatch(input) {
          if (input.power !== 128) return normal.invokeBatch(input);
          const results: InvocationResult[] = [
            modelResult(128, 0),
            modelResult(128, 1),
            {
              ...modelResult(128, 2),
              error: { type: 'Runtime.OutOfMemory', message: 'out of memory', allowed: false },
            },
          ];
          return { summary: summariseInvocations(results), failure: oom, firstFailure: oom };
        },
      },
    );
    assert.deepEqual(
      batches(calls)
        .filter((b) => b.power === 128)
        .map((b) => b.batch),
      [1],
      'the size stops after the failing batch',
    );
    for (const power of [512, 1024]) {
      assert.deepEqual(
        batches(calls)
          .filter((b) => b.power === power)
          .map((b) => [b.input.start, b.input.count]),
        [
          [0, 50],
          [50, 50],
          [100, 20],
        ],
      );
    }
    const r128 = output.results.find((r) => r.power === 128);
    assert.equal(r128?.feasible, false);
    assert.match(r128?.infeasibleReason ?? '', /ran out of memory/);
    assert.equal(r128?.invocations, 3);
    assert.equal(r128?.averageDuration, null);
    assert.ok([512, 1024].includes(output.power!), `recommended a feasible size, got ${output.power}`);
    assert.deepEqual(
      output.stats?.map((s) => s.value),
      [512, 1024],
      'only feasible sizes are charted',
    );
    // Progress counts the infeasible size as finished at what it did.
    assert.deepEqual(
      progress.sizes.map((p) => [p.power, p.done, p.total]),
      [
        [128, 3, 3],
        [512, 120, 120],
        [1024, 120, 120],
      ],
    );
  });

  void it('when every size is infeasible the run fails with NoFeasiblePowerValue, after cleanup', async () => {
    const tuning = await mockedTuning(env, {
      async invokeBatch(input) {
        const failed = {
          ...modelResult(input.power, 0),
          error: { type: 'Sandbox.Timedout', message: 'Task timed out', allowed: false },
        };
        return { summary: summariseInvocations([failed]), failure: `${input.power} MB timed out` };
      },
    });
    const err = await runToFailure(tuning, { lambdaARN: FUNCTION_ARN, num: 5, powerValues: [128, 256] });
    assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
    assert.equal(err.cause.type, 'NoFeasiblePowerValue');
    assert.match(err.cause.message, /128 MB timed out/);
    assert.match(err.cause.message, /256 MB timed out/);
    assert.equal(tuning.calls.at(-1)?.name, 'cleanupRun');
    assert.deepEqual(inputsOf(tuning.calls, 'cleanupRun')[0]?.restore, ORIGINAL);
  });

  void it('fixed grid: failed invocations are replaced in a second round of the sizes that had them', async () => {
    const normal = mockActivities([]);
    const { output, calls } = await runTuning(
      env,
      { lambdaARN: FUNCTION_ARN, num: 10, powerValues: [128, 512] },
      {
        async invokeBatch(input) {
          const round = Number(/-r(\d+)-/.exec(activityInfo().activityId)?.[1]);
          if (input.power !== 512 || round !== 1) return normal.invokeBatch(input);
          // Two of the ten fail with an ordinary error: counted, not fatal.
          const results = Array.from({ length: input.count }, (_, i) =>
            i < 2
              ? { ...modelResult(512, i), error: { type: 'Error', message: 'flaky', allowed: false } }
              : modelResult(512, i),
          );
          return { summary: summariseInvocations(results), firstFailure: 'Error: flaky' };
        },
      },
    );
    assert.deepEqual(
      batches(calls)
        .map((b) => [b.power, b.round, b.input.count])
        .sort(),
      [
        [128, 1, 10],
        [512, 1, 10],
        [512, 2, 2],
      ].sort(),
    );
    const r512 = output.results.find((r) => r.power === 512);
    assert.equal(r512?.invocations, 12);
    assert.equal(r512?.errors, 2);
    assert.equal(r512?.feasible, true);
    assert.equal(output.results.find((r) => r.power === 128)?.invocations, 10);
  });

  void it('adaptive: later rounds sample only the undecided sizes, within the budget', async () => {
    const num = 8;
    const maxInvocations = 80;
    const powerValues = [128, 1024, 2048];
    // 1024 and 2048 MB are close and noisy, so one round cannot tell them apart; 128 MB is
    // far slower and drops out after the first look.
    const base: Record<number, number> = { 128: 4000, 1024: 100, 2048: 96 };
    const { output, calls, progress } = await runWithProgress(
      { lambdaARN: FUNCTION_ARN, num, powerValues, strategy: 'speed', confidence: 0.95, maxInvocations },
      {
        async invokeBatch(input) {
          const rng = createRng(fnv1a(activityInfo().activityId));
          const results = Array.from({ length: input.count }, () => {
            const durationMs = Math.max(1, Math.round((base[input.power] ?? 0) * (1 + 0.25 * rng.normal())));
            return { durationMs, billedMs: durationMs, initMs: 0, coldStart: false };
          });
          return { summary: summariseInvocations(results) };
        },
      },
    );
    const all = batches(calls);
    const rounds = Math.max(...all.map((b) => b.round));
    assert.ok(rounds >= 2, `expected more than one round, got ${rounds}`);
    assert.deepEqual(
      all
        .filter((b) => b.round === 1)
        .map((b) => [b.power, b.input.count])
        .sort(),
      powerValues.map((p) => [p, num]).sort(),
      'the first round is the grid',
    );
    assert.deepEqual(
      [...new Set(all.filter((b) => b.round > 1).map((b) => b.power))].sort((a, b) => a - b),
      [1024, 2048],
      'only the sizes still in the race are sampled again',
    );
    // Each round's batches count from 0 within that round.
    for (const b of all) assert.equal(b.input.start, 0);

    const asked = (power: number) =>
      all.filter((b) => b.power === power).reduce((sum, b) => sum + b.input.count, 0);
    for (const r of output.results) assert.equal(r.invocations, asked(r.power), `${r.power} MB`);
    const spent = all.reduce((sum, b) => sum + b.input.count, 0);
    assert.equal(output.invocationsSpent, spent);
    assert.ok(spent <= maxInvocations, `spent ${spent} of a budget of ${maxInvocations}`);
    assert.equal(output.gridInvocations, num * powerValues.length);
    assert.equal(output.confidence?.policy, 'adaptive');
    assert.ok(['settled', 'budget-spent'].includes(output.confidence?.stop ?? ''), output.confidence?.stop);
    assert.ok([1024, 2048].includes(output.power!), `got ${output.power}`);
    // Progress grew with every round.
    assert.deepEqual(
      progress.sizes.map((p) => [p.power, p.done, p.total]),
      powerValues.map((p) => [p, asked(p), asked(p)]),
    );
  });
  void it('adaptive: a run that cannot settle spends its whole budget, the last round taking what is left', async () => {
    // 1,024 MB exactly the tolerance (1%) slower than 2,048 MB, at 25% noise: it can be shown
    // neither within it nor beyond it, so the run uses every look. Doubling alone reached about
    // 1,000 of these 6,000 invocations; the last round now takes the rest.
    const num = 8;
    const maxInvocations = 6000;
    const powerValues = [1024, 2048];
    const { output, calls } = await runWithProgress(
      { lambdaARN: FUNCTION_ARN, num, powerValues, strategy: 'speed', confidence: 0.95, maxInvocations },
      {
        async invokeBatch(input) {
          const rng = createRng(fnv1a(activityInfo().activityId));
          const centre = input.power === 1024 ? 101 : 100;
          const results = Array.from({ length: input.count }, () => {
            const durationMs = Math.max(1, centre * (1 + 0.25 * rng.normal()));
            return { durationMs, billedMs: durationMs, initMs: 0, coldStart: false };
          });
          return { summary: summariseInvocations(results) };
        },
      },
    );
    const all = batches(calls);
    const rounds = Math.max(...all.map((b) => b.round));
    const spentIn = (round: number) =>
      all.filter((b) => b.round === round).reduce((sum, b) => sum + b.input.count, 0);
    const spent = all.reduce((sum, b) => sum + b.input.count, 0);
    assert.equal(output.confidence?.stop, 'budget-spent');
    assert.ok(spent > maxInvocations - 10 && spent <= maxInvocations, `spent ${spent} of ${maxInvocations}`);
    assert.ok(spentIn(rounds) > spent / 2, `the last round took ${spentIn(rounds)} of ${spent}`);
    assert.equal(output.invocationsSpent, spent);
  });
});
