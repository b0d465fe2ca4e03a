/**
 * A size spread over environments in the real powerTuning workflow (time-skipping server, mocked
 * activities): each round's calls are shared among the size's aliases, batch after batch, and the
 * payload weights are dealt over the whole round, as without spreading.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { InvokeBatchInput, SetupInput } from '../../activities/types.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { TuningOutput } from '../../domain/types.js';
import {
  FUNCTION_ARN,
  inputsOf,
  mockedTuning,
  modelResult,
  startTimeSkippingEnv,
  type ActivityCall,
} from '../support/time-skipping.js';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(async () => env?.teardown());

const aliasesOf = (input: SetupInput) =>
  Array.from({ length: input.environments ?? 1 }, (_, k) => `alias-${input.power}-${k}`);

/** A healthy function whose setup publishes one alias per environment, and whose calls keep cold starts out. */
const spreadActivities = {
  async setupPowerValue(input: SetupInput) {
    const aliases = aliasesOf(input);
    return { power: input.power, aliases: [aliases[0] as string], environmentAliases: aliases };
  },
  async invokeBatch(input: InvokeBatchInput) {
    const results = Array.from({ length: input.count }, (_, i) => modelResult(input.power, input.start + i));
    return { summary: summariseInvocations(results, { warmOnly: input.warmOnly === true }) };
  },
};

void describe('spreading a size over environments in the workflow', () => {
  void it('shares each round among the aliases, payloads dealt over the round, cold starts kept out', async () => {
    const tuning = await mockedTuning(env, spreadActivities);
    const { output, calls } = await tuning.run(async (start) => {
      const handle = await start({
        lambdaARN: FUNCTION_ARN,
        num: 10,
        powerValues: [512, 1024, 2048],
        strategy: 'speed',
        confidence: 0.95,
        payload: [
          { payload: { kind: 'a' }, weight: 1 },
          { payload: { kind: 'b' }, weight: 3 },
        ],
      });
      return { output: (await handle.result()) as TuningOutput, calls: tuning.calls };
    });
    assert.ok(output.power !== null);

    // Every size set up with the default three environments.
    for (const setup of inputsOf(calls, 'setupPowerValue')) assert.equal(setup.environments, 3);

    const firstRound = (power: number) =>
      calls
        .filter(
          (c: ActivityCall) => c.name === 'invokeBatch' && c.activityId.startsWith(`invoke-${power}-r1-`),
        )
        .map((c) => ({ id: c.activityId, input: c.input as InvokeBatchInput }));
    for (const power of [512, 1024, 2048]) {
      const batches = firstRound(power);
      // 10 calls as 4 + 3 + 3, one alias each, numbered on within the round.
      assert.deepEqual(
        batches.map((b) => [
          b.id,
          b.input.aliases,
          b.input.start,
          b.input.count,
          b.input.total,
          b.input.warmOnly,
        ]),
        [
          [`invoke-${power}-r1-1`, [`alias-${power}-0`], 0, 4, 10, true],
          [`invoke-${power}-r1-2`, [`alias-${power}-1`], 4, 3, 10, true],
          [`invoke-${power}-r1-3`, [`alias-${power}-2`], 7, 3, 10, true],
        ],
      );
    }
  });
});

/** The patch ids a run's history marks (patched() records one marker per id it first meets). */
async function patchMarkers(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }) {
  const events = (await handle.fetchHistory()).events ?? [];
  const text = (data: unknown) =>
    data instanceof Uint8Array ? new TextDecoder().decode(data) : JSON.stringify(data ?? '');
  return events.flatMap((event) => {
    const marker = (
      event as {
        markerRecordedEventAttributes?: { details?: Record<string, { payloads?: { data?: unknown }[] }> };
      }
    ).markerRecordedEventAttributes;
    return Object.values(marker?.details ?? {}).flatMap((p) => (p.payloads ?? []).map((x) => text(x.data)));
  });
}

void describe('constraints on spread sizes in the workflow', () => {
  for (const constrained of [true, false]) {
    void it(`${constrained ? 'judges' : 'without constraints, does not mark'} them with the hosts' variance`, async () => {
      const tuning = await mockedTuning(env, spreadActivities);
      const { output, markers } = await tuning.run(async (start) => {
        const handle = await start({
          lambdaARN: FUNCTION_ARN,
          num: 10,
          powerValues: [512, 1024, 2048],
          strategy: 'cost',
          confidence: 0.95,
          ...(constrained ? { constraints: { percentile: 95, maxDurationMs: 100_000 } } : {}),
        });
        return { output: (await handle.result()) as TuningOutput, markers: await patchMarkers(handle) };
      });
      assert.ok(
        markers.some((m) => m.includes('environment-spread')),
        'the run spreads its sizes',
      );
      // A latency bound raises the default spread, so the hosts' variance rests on more environments.
      for (const setup of inputsOf(tuning.calls, 'setupPowerValue'))
        assert.equal(setup.environments, constrained ? 5 : 3);
      assert.equal(
        markers.some((m) => m.includes('latency-environments')),
        constrained,
      );
      assert.equal(
        markers.some((m) => m.includes('host-aware-constraints')),
        constrained,
        `markers: ${markers.join(', ')}`,
      );
      if (constrained) {
        assert.equal(output.constraints?.met, true);
        const chosen = output.constraints?.sizes.find((size) => size.power === output.power);
        assert.equal(chosen?.verdict, 'meets');
      }
    });
  }
});
