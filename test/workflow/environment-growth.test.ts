/**
 * A contested size spread over more environments in the real powerTuning workflow (time-skipping
 * server, mocked activities). Under a p95 bound, a size whose hosts differ enough that its verdict
 * stays open after the calls a percentile's bound needs gets its versions published again with
 * twice the environments, between rounds, `$LATEST` put back after; its next calls go to the new
 * aliases first. A run without a latency bound never publishes after the first setup.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { InvokeBatchInput, SetupInput } from '../../activities/types.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { hashSeed, mulberry32 } from '../../emulator/invoke/prng.js';
import type { InvocationResult, TuningOutput } from '../../domain/types.js';
import {
  FUNCTION_ARN,
  inputsOf,
  mockedTuning,
  startTimeSkippingEnv,
  type MockActivities,
} from '../support/time-skipping.js';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

const SIZES = [512, 1024, 2048];
/** Typical durations: 1024 MB is the cheapest (2048 MB's 120 ms bill more GB-seconds). */
const BASE_MS: Record<number, number> = { 512: 420, 1024: 200, 2048: 120 };

const aliasOf = (power: number, k: number) => `alias-${power}-${k}`;
const environmentOf = (alias: string) => Number(alias.split('-')[2]);

/** A host k% faster or slower, the same for every size: what makes a p95 rest on the hosts. */
const hostFactor = (k: number) => 1 + 0.08 * Math.sin(1 + k * 2.399);
/** Deterministic noise in [−1, 1) per call. */
const noise = (power: number, k: number, i: number) => mulberry32(hashSeed(`${power}:${k}:${i}`))() * 2 - 1;

const growingActivities = {
  async setupPowerValue(input: SetupInput) {
    const aliases = Array.from({ length: input.environments ?? 1 }, (_, k) => aliasOf(input.power, k));
    return { power: input.power, aliases: [aliases[0] as string], environmentAliases: aliases };
  },
  async invokeBatch(input: InvokeBatchInput) {
    const k = environmentOf(input.aliases[0] as string);
    const results = Array.from({ length: input.count }, (_, i): InvocationResult => {
      const durationMs =
        (BASE_MS[input.power] as number) * hostFactor(k) * (1 + 0.1 * noise(input.power, k, input.start + i));
      return { durationMs, billedMs: Math.ceil(durationMs), initMs: 0, coldStart: false };
    });
    return { summary: summariseInvocations(results, { warmOnly: input.warmOnly === true }) };
  },
};

async function tune(
  maxDurationMs?: number,
  activities: Partial<MockActivities> = growingActivities,
  maxCostPerInvocation?: number,
) {
  const tuning = await mockedTuning(env, activities);
  const output = await tuning.run(async (start) => {
    const handle = await start({
      lambdaARN: FUNCTION_ARN,
      num: 10,
      powerValues: SIZES,
      strategy: 'cost',
      confidence: 0.95,
      maxInvocations: 3000,
      ...(maxDurationMs !== undefined ? { constraints: { percentile: 95, maxDurationMs } } : {}),
      ...(maxCostPerInvocation !== undefined ? { constraints: { maxCostPerInvocation } } : {}),
    });
    return (await handle.result()) as TuningOutput;
  });
  return { output, calls: tuning.calls };
}

void describe('growing a contested size over more environments', () => {
  void it('publishes the size again with twice the environments between rounds and samples the new ones', async () => {
    const { output, calls } = await tune(240);
    const setups = inputsOf(calls, 'setupPowerValue');
    // The first setup: every size over the latency default of 5.
    assert.deepEqual(
      setups.slice(0, SIZES.length).map((s) => [s.power, s.environments]),
      SIZES.map((power) => [power, 5]),
    );
    const grown = setups.slice(SIZES.length);
    assert.ok(grown.length > 0, 'a size was spread further');
    for (const setup of grown) {
      assert.equal(setup.power, 1024, 'only the contested size grows');
      assert.ok((setup.environments ?? 0) > 5, `${setup.environments} environments`);
    }
    assert.deepEqual(
      grown.map((s) => s.environments),
      [10, 20, 40].slice(0, grown.length),
      'doubling each time, up to the cap',
    );

    // Each growth comes between rounds: after it, $LATEST is put back before any new alias is invoked.
    const names = calls.map((c) => c.name);
    const firstGrowth = calls.findIndex((c) => c.name === 'setupPowerValue' && c.input === grown[0]);
    const restoreAfter = names.indexOf('restoreLatest', firstGrowth);
    const newAliasCall = calls.findIndex(
      (c) => c.name === 'invokeBatch' && (c.input as InvokeBatchInput).aliases[0] === aliasOf(1024, 5),
    );
    assert.ok(firstGrowth < restoreAfter && restoreAfter < newAliasCall, 'grown, restored, then invoked');
    // The new environments are the emptiest, so that round gives each of them more than any old one.
    const round = /^invoke-1024-r\d+-/.exec(calls[newAliasCall]?.activityId ?? '')?.[0];
    const perEnvironment = new Map<number, number>();
    for (const call of calls) {
      if (call.name !== 'invokeBatch' || !round || !call.activityId.startsWith(round)) continue;
      const input = call.input as InvokeBatchInput;
      const k = environmentOf(input.aliases[0] as string);
      perEnvironment.set(k, (perEnvironment.get(k) ?? 0) + input.count);
    }
    const fresh = [5, 6, 7, 8, 9].map((k) => perEnvironment.get(k) ?? 0);
    const old = [0, 1, 2, 3, 4].map((k) => perEnvironment.get(k) ?? 0);
    assert.ok(Math.min(...fresh) >= Math.max(...old), `new ${fresh.join(',')} vs old ${old.join(',')}`);

    // The verdicts rest on every environment the size ran in.
    assert.equal(output.hosts?.environments, 5);
    assert.equal(output.hosts?.mostEnvironments, grown.at(-1)?.environments);
    assert.match(
      output.hosts?.statement ?? '',
      /on 5 versions of its own \(execution environments\), and those whose verdict stayed open on up to \d+;/,
    );
  });

  void it('on a version quota, stops growing and finishes on the environments it has', async () => {
    const { output, calls } = await tune(240, {
      ...growingActivities,
      async setupPowerValue(input: SetupInput) {
        if ((input.environments ?? 1) > 5)
          throw ApplicationFailure.nonRetryable(
            'Code storage limit exceeded',
            'CodeStorageExceededException',
          );
        return growingActivities.setupPowerValue(input);
      },
    });
    const attempts = calls.filter(
      (c) => c.name === 'setupPowerValue' && ((c.input as SetupInput).environments ?? 1) > 5,
    );
    assert.equal(attempts.length, 1, 'one attempt, then no more');
    const failedAt = calls.indexOf(attempts[0] as (typeof calls)[number]);
    assert.ok(
      calls.slice(failedAt).some((c) => c.name === 'restoreLatest'),
      '$LATEST put back',
    );
    // The run went on: more rounds on the five environments it had, and a result.
    const later = calls
      .slice(failedAt)
      .filter((c) => c.name === 'invokeBatch')
      .map((c) => environmentOf((c.input as InvokeBatchInput).aliases[0] as string));
    assert.ok(later.length > 0, 'sampling went on');
    assert.ok(Math.max(...later) < 5, `only the first environments: ${[...new Set(later)].join(', ')}`);
    assert.equal(output.hosts?.environments, 5);
    assert.equal(output.hosts?.mostEnvironments, undefined);
    assert.ok(output.constraints);
  });

  void it('without a latency bound, publishes nothing after the first setup', async () => {
    const { calls } = await tune();
    const setups = inputsOf(calls, 'setupPowerValue');
    assert.deepEqual(
      setups.map((s) => s.power),
      SIZES,
    );
  });

  void it('with a cost bound alone, publishes nothing after the first setup either', async () => {
    // 1,024 MB costs about 3.5e-6 USD a call: a bound 2% over it stays open for a while.
    const { output, calls } = await tune(undefined, growingActivities, 3.6e-6);
    assert.ok(output.constraints, 'the output reports the constraints');
    assert.deepEqual(
      inputsOf(calls, 'setupPowerValue').map((s) => s.power),
      SIZES,
    );
  });
});
