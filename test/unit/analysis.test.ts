import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NoFeasiblePowerError, analyzeTuning, type PowerValueSummary } from '../../domain/analysis.js';
import { invocationCost, lambdaPrice } from '../../domain/pricing.js';
import { EXACT_LIMIT, RELATIVE_ACCURACY } from '../../domain/sketch.js';
import { percentile, stdDev, trimmedMean } from '../../domain/stats.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { InvocationResult, PowerValueStats } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { decodeVisualizationHash } from '../../domain/visualization.js';

const ok = (durationMs: number, billedMs = Math.ceil(durationMs), initMs = 0): InvocationResult => ({
  durationMs,
  billedMs,
  initMs,
  coldStart: initMs > 0,
});
const failed = (type: string, allowed = false): InvocationResult => ({
  ...ok(10),
  error: { type, message: `${type} happened`, allowed },
});

const config = (extra: Record<string, unknown> = {}) =>
  validateInput({ lambdaARN: 'my-fn', num: 5, powerValues: [128, 256, 512], ...extra });

const run = (results: PowerValueSummary[], extra: Record<string, unknown> = {}, region = 'eu-west-1') =>
  analyzeTuning({ config: config(extra), functionName: 'my-fn', region, architecture: 'x86_64', results });

/** One size as the workflow hands it over: its invocations summarised. */
const size = (
  power: number,
  invocations: InvocationResult[],
  infeasibleReason?: string,
): PowerValueSummary => ({
  power,
  summary: summariseInvocations(invocations),
  ...(infeasibleReason !== undefined ? { infeasibleReason } : {}),
});

const series = (power: number, durations: number[]): PowerValueSummary =>
  size(
    power,
    durations.map((d) => ok(d)),
  );

describe('analyzeTuning', () => {
  const results = [
    series(128, [100, 100, 100, 100, 100]),
    series(256, [60, 60, 60, 60, 60]),
    series(512, [20, 20, 20, 20, 20]),
  ];

  it('keeps the original key order, then ours', () => {
    const output = run(results, { includeOutputResults: true });
    assert.deepEqual(Object.keys(output), [
      'power',
      'cost',
      'duration',
      'stateMachine',
      'stats',
      'strategy',
      'functionName',
      'region',
      'architecture',
      'currency',
      'dryRun',
      'optimized',
      'results',
      'confidence',
      'equivalentSizes',
      'invocationsSpent',
      'gridInvocations',
    ]);
    assert.deepEqual(Object.keys(output.stateMachine), ['executionCost', 'lambdaCost', 'visualization']);
  });

  it('prices the trimmed-mean billed duration with the request fee, and picks the cheapest by default', () => {
    const output = run(results);
    const price = lambdaPrice('eu-west-1', 'x86_64');
    // 128 MB × 100 ms costs 12800 MB·ms, 256 × 60 = 15360, 512 × 20 = 10240: 512 is cheapest.
    assert.equal(output.power, 512);
    assert.equal(output.cost, invocationCost(20, 512, price));
    assert.equal(output.duration, 20);
    assert.equal(output.stateMachine.executionCost, 0);
    assert.equal(output.stats, undefined);
    assert.equal(output.currency, 'USD');
    assert.equal(output.optimized, false);
  });

  it('stats lists {value, averagePrice, averageDuration} in power order with includeOutputResults', () => {
    const output = run([...results].reverse(), { includeOutputResults: true });
    assert.deepEqual(
      output.stats?.map((s) => [s.value, s.averageDuration]),
      [
        [128, 100],
        [256, 60],
        [512, 20],
      ],
    );
  });

  it('lambdaCost sums every invocation, failed ones included (they are billed)', () => {
    const withFailure = [series(128, [100, 100]), size(256, [ok(60), failed('Boom')])];
    const output = run(withFailure);
    const price = lambdaPrice('eu-west-1', 'x86_64');
    const expected =
      2 * invocationCost(100, 128, price) + invocationCost(60, 256, price) + invocationCost(10, 256, price);
    assert.ok(Math.abs(output.stateMachine.lambdaCost - expected) < 1e-18);
  });

  it('reports percentiles, stdDev, cold starts, errors and allowed errors per size', () => {
    const invocations = [
      ok(10, 10, 5),
      ok(20),
      ok(30),
      ok(40),
      ok(1000),
      failed('Boom'),
      failed('Allowed', true),
    ];
    const output = run([size(128, invocations)], { discardTopBottom: 0 });
    const stats = output.results[0]!;
    assert.equal(stats.invocations, 7);
    assert.equal(stats.errors, 1);
    assert.equal(stats.allowedErrors, 1);
    assert.equal(stats.coldStarts, 1);
    // Measured: 10, 20, 30, 40, 1000 and the allowed error's 10 (allowed errors count, as upstream).
    assert.equal(stats.p50, 20);
    assert.equal(stats.p90, 1000);
    assert.equal(stats.p99, 1000);
    assert.equal(stats.averageDuration, (10 + 20 + 30 + 40 + 1000 + 10) / 6);
    assert.ok(stats.stdDev > 0);
  });

  it('trims with discardTopBottom and rounds the billed mean up', () => {
    const output = run([size(128, [ok(1, 1), ok(2, 2), ok(2, 3), ok(4, 4), ok(2000, 2000)])]);
    const price = lambdaPrice('eu-west-1', 'x86_64');
    assert.equal(output.duration, (2 + 2 + 4) / 3);
    assert.equal(output.cost, invocationCost(Math.ceil((2 + 3 + 4) / 3), 128, price));
  });

  it('skips sizes that failed entirely and recommends among the rest (#10, #217)', () => {
    const output = run([
      size(128, [failed('Runtime.OutOfMemory'), failed('Runtime.OutOfMemory')]),
      size(256, [], 'setup failed'),
      series(512, [20, 20]),
    ]);
    assert.equal(output.power, 512);
    const [small, middle] = output.results;
    assert.equal(small?.feasible, false);
    assert.match(
      small?.infeasibleReason ?? '',
      /all 2 invocations failed \(first error Runtime\.OutOfMemory/,
    );
    assert.equal(middle?.infeasibleReason, 'setup failed');
    // The chart shows measured sizes only.
    const hash = output.stateMachine.visualization.split('#')[1] ?? '';
    assert.deepEqual(decodeVisualizationHash(hash).powers, [512]);
  });

  it('gives infeasible sizes null averages and no intervals, so no script can pick them as cheapest', () => {
    const output = run(
      [
        size(128, [failed('Runtime.OutOfMemory'), failed('Runtime.OutOfMemory')]),
        size(256, [], 'setup failed'),
        // Mostly failing, but 2 of 20 succeeded: real measurements, still not a usable size.
        size(512, [...Array.from({ length: 18 }, () => failed('Boom')), ok(5), ok(5)]),
        series(1024, [20, 20, 20, 20, 20]),
      ],
      { maxErrorRate: 0.1 },
    );
    const [oom, setup, flaky, good] = output.results;
    for (const row of [oom, setup, flaky]) {
      assert.equal(row?.feasible, false, `${row?.power} MB is infeasible`);
      assert.equal(row?.averageDuration, null, `${row?.power} MB averageDuration`);
      assert.equal(row?.averagePrice, null, `${row?.power} MB averagePrice`);
      assert.equal(row?.durationInterval, undefined);
      assert.equal(row?.priceInterval, undefined);
      assert.ok(row?.infeasibleReason);
    }
    assert.equal(good?.feasible, true);
    assert.equal(typeof good?.averagePrice, 'number');
    assert.ok(good?.durationInterval);
    // The nulls survive JSON (the workflow's result is JSON), unlike undefined.
    const parsed = JSON.parse(JSON.stringify(output)) as typeof output;
    assert.equal(parsed.results[0]?.averagePrice, null);
    assert.equal(parsed.results[0]?.averageDuration, null);
    // What a script taking the cheapest priced row gets: the recommendation, not the empty size.
    const priced = parsed.results.filter((r) => r.averagePrice !== null);
    assert.deepEqual(
      priced.map((r) => r.power),
      [1024],
    );
    assert.equal(output.power, 1024);
    assert.deepEqual(output.stats, undefined);
  });

  it('throws NoFeasiblePowerError listing every size’s reason when nothing could be measured', () => {
    assert.throws(
      () => run([size(128, [failed('Runtime.OutOfMemory')]), size(256, [])]),
      (e: unknown) =>
        e instanceof NoFeasiblePowerError &&
        /128 MB: all 1 invocations failed/.test(e.message) &&
        /256 MB: no invocation was made/.test(e.message) &&
        e.reasons.length === 2,
    );
  });

  it('names sizes that failed the same way together, once', () => {
    const boom = 'Invocation error (running in series) - original error type: "Boom"';
    assert.throws(
      () => run([size(128, [failed('Boom')], boom), size(256, [failed('Boom')], boom)]),
      (e: unknown) =>
        e instanceof NoFeasiblePowerError &&
        e.message.includes(`128 MB, 256 MB: ${boom}`) &&
        e.message.split(boom).length === 2,
    );
  });

  it('uses the speed and balanced strategies from the config', () => {
    assert.equal(run(results, { strategy: 'speed' }).power, 512);
    const slowCheap = [series(128, [100, 100]), series(1024, [13, 13])];
    assert.equal(run(slowCheap, { strategy: 'cost' }).power, 128);
    assert.equal(run(slowCheap, { strategy: 'speed' }).power, 1024);
    assert.equal(run(slowCheap, { strategy: 'balanced', balancedWeight: 0 }).power, 1024);
  });

  it('prices China regions in CNY and links with ?currency=CNY (from the function region, not the tuner’s)', () => {
    const output = run(results, {}, 'cn-north-1');
    assert.equal(output.currency, 'CNY');
    assert.match(output.stateMachine.visualization, /\?currency=CNY#/);
  });

  it('uses price overrides', () => {
    const output = run(results, { prices: { perGbSecond: 1, perRequest: 0 } });
    assert.equal(output.cost, invocationCost(20, 512, { perGbSecond: 1, perRequest: 0 }));
  });
});

/** The statistics as computed before summaries, straight from every invocation with stats.ts. */
function fromInvocations(
  power: number,
  invocations: InvocationResult[],
  discard: number,
  price: { perGbSecond: number; perRequest: number },
): PowerValueStats {
  const measured = invocations.filter((i) => i.error === undefined || i.error.allowed);
  const durations = measured.map((i) => i.durationMs);
  return {
    power,
    invocations: invocations.length,
    errors: invocations.length - measured.length,
    coldStarts: invocations.filter((i) => i.coldStart).length,
    averageDuration: trimmedMean(durations, discard),
    averagePrice: invocationCost(
      Math.ceil(
        trimmedMean(
          measured.map((i) => i.billedMs),
          discard,
        ),
      ),
      power,
      price,
    ),
    p50: percentile(durations, 50),
    p90: percentile(durations, 90),
    p99: percentile(durations, 99),
    stdDev: stdDev(durations),
    totalCost: invocations.reduce((sum, i) => sum + invocationCost(Math.ceil(i.billedMs), power, price), 0),
    feasible: true,
    allowedErrors: measured.filter((i) => i.error !== undefined).length,
  };
}

/** Deterministic, varied invocations: lognormal-ish durations with two decimals, a few errors and cold starts. */
function invocationsFor(power: number, n: number): InvocationResult[] {
  return Array.from({ length: n }, (_, i) => {
    const wobble = Math.sin(power * 7.31 + i * 12.9898) * 43758.5453;
    const u = wobble - Math.floor(wobble);
    const durationMs =
      Math.round((200_000 / power) * Math.exp(u * u * 2) * 100) / 100 + (i % 97 === 0 ? 800 : 0);
    const result = ok(durationMs, Math.ceil(durationMs), i % 97 === 0 ? 800 : 0);
    if (i % 41 === 5) return { ...result, error: { type: 'Allowed', message: 'fine', allowed: true } };
    if (i % 53 === 7) return { ...result, error: { type: 'Boom', message: 'Boom happened', allowed: false } };
    return result;
  });
}

describe('analyzeTuning from summaries', () => {
  const price = lambdaPrice('eu-west-1', 'x86_64');

  it('gives the same numbers as from every invocation while a size has ≤ EXACT_LIMIT values', () => {
    for (const n of [1, 5, 37, 100, EXACT_LIMIT]) {
      for (const discard of [0, 0.2, 0.4]) {
        const powers = [128, 512, 3008];
        const output = run(
          powers.map((p) => size(p, invocationsFor(p, n))),
          { discardTopBottom: discard },
        );
        output.results.forEach((actual, i) => {
          const power = powers[i]!;
          const expected = fromInvocations(power, invocationsFor(power, n), discard, price);
          const loose = (key: 'stdDev' | 'totalCost') =>
            assert.ok(Math.abs(actual[key] - expected[key]) <= 1e-9 * expected[key], `${key} at n=${n}`);
          loose('stdDev');
          loose('totalCost');
          // The original's fields; intervals and standing are checked in decision and interval tests.
          const originalFields = Object.fromEntries(
            Object.keys(expected).map((key) => [key, actual[key as keyof typeof actual]]),
          );
          assert.deepEqual(
            { ...originalFields, stdDev: 0, totalCost: 0 },
            { ...expected, stdDev: 0, totalCost: 0 },
          );
        });
      }
    }
  });

  it('stays within RELATIVE_ACCURACY beyond EXACT_LIMIT (the cost step of ceil aside)', () => {
    const invocations = invocationsFor(1024, 5_000);
    const [actual] = run([size(1024, invocations)]).results;
    const expected = fromInvocations(1024, invocations, 0.2, price);
    for (const key of ['averageDuration', 'p50', 'p90', 'p99'] as const) {
      const [got, want] = [actual?.[key] ?? null, expected[key]];
      assert.ok(got !== null && want !== null, `${key} is known`);
      assert.ok(Math.abs(got - want) <= RELATIVE_ACCURACY * want, key);
    }
    assert.equal(actual?.invocations, expected.invocations);
    assert.equal(actual?.errors, expected.errors);
    assert.ok(Math.abs(actual!.totalCost - expected.totalCost) <= 1e-9 * expected.totalCost);
  });

  it('a 159-size × 300-invocation input ("ALL", num 300) serialises to well under 2 MB', () => {
    const analysisConfig = validateInput({ lambdaARN: 'my-fn', num: 300, powerValues: 'ALL' });
    assert.equal(analysisConfig.powerValues.length, 159);
    const raw = analysisConfig.powerValues.map((p) => ({ power: p, invocations: invocationsFor(p, 300) }));
    const summarised = raw.map(({ power, invocations }) => size(power, invocations));
    const input = {
      config: analysisConfig,
      functionName: 'my-fn',
      region: 'eu-west-1',
      architecture: 'x86_64' as const,
    };
    const bytes = JSON.stringify({ ...input, results: summarised }).length;
    // The raw results were what jammed the run: they do not fit in Temporal's 2 MB payload limit.
    assert.ok(JSON.stringify({ ...input, results: raw }).length > 2 * 1024 * 1024);
    assert.ok(bytes < 1024 * 1024, `${bytes} bytes`);
    assert.equal(analyzeTuning({ ...input, results: summarised }).results.length, 159);
  });
});
