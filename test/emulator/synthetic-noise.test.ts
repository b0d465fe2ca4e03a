/**
 * The realistic noise of synthetic profiles, checked on the pure functions the emulator and the
 * decision benchmark share: multiplicative lognormal noise, slow outliers, per-environment host
 * speed, and that profiles without the new fields behave exactly as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  drawCall,
  environmentFactor,
  noiseFreeDuration,
  syntheticDuration,
} from '../../emulator/invoke/cpu-model.js';
import { mulberry32 } from '../../emulator/invoke/prng.js';
import {
  newEnvironment,
  sampleInvocation,
  type SampledInvocation,
} from '../../emulator/invoke/synthetic-executor.js';
import { syntheticProfileSchema } from '../../emulator/model/definitions.js';
import type { SyntheticProfile } from '../../emulator/model/types.js';

const profile = (fields: Record<string, unknown>): SyntheticProfile => syntheticProfileSchema.parse(fields);

/** `count` warm calls in one environment (its cold start excluded). */
function warmCalls(p: SyntheticProfile, memoryMb: number, count: number, seed: number): SampledInvocation[] {
  const random = mulberry32(seed);
  const environment = newEnvironment();
  sampleInvocation(p, memoryMb, random, environment);
  return Array.from({ length: count }, () => sampleInvocation(p, memoryMb, random, environment));
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const logSd = (xs: number[]) => sd(xs.map(Math.log));

void describe('synthetic noise: relativeNoise', () => {
  void it('is multiplicative: the spread grows with the duration, the relative spread does not', () => {
    const p = profile({ cpuMs: 200, relativeNoise: 0.1 });
    const slow = warmCalls(p, 128, 4000, 1).map((r) => r.durationMs); // about 2,764 ms
    const fast = warmCalls(p, 1769, 4000, 2).map((r) => r.durationMs); // about 200 ms
    const ratio = noiseFreeDuration(p, 128) / noiseFreeDuration(p, 1769);
    const sdRatio = sd(slow) / sd(fast);
    assert.ok(
      Math.abs(sdRatio / ratio - 1) < 0.1,
      `sd ratio ${sdRatio.toFixed(2)} vs duration ratio ${ratio.toFixed(2)}`,
    );
    // log(duration) has standard deviation σ at every size, and the median is the noise-free value.
    for (const [xs, memory] of [
      [slow, 128],
      [fast, 1769],
    ] as const) {
      assert.ok(Math.abs(logSd(xs) - 0.1) < 0.008, `σ of log at ${memory} MB: ${logSd(xs).toFixed(4)}`);
      const median = [...xs].sort((a, b) => a - b)[xs.length / 2] as number;
      const relative = median / noiseFreeDuration(p, memory) - 1;
      assert.ok(Math.abs(relative) < 0.01, `median at ${memory} MB off by ${(relative * 100).toFixed(2)}%`);
    }
  });
});

void describe('synthetic noise: outliers', () => {
  void it('makes `rate` of the calls `factor` times longer, at every size', () => {
    const p = profile({ cpuMs: 100, ioWaitMs: 20, outliers: { rate: 0.05, factor: 4 } });
    for (const memory of [256, 3008]) {
      const base = noiseFreeDuration(p, memory);
      const calls = warmCalls(p, memory, 4000, memory).map((r) => r.durationMs);
      const slow = calls.filter((d) => Math.abs(d - 4 * base) < 0.02).length;
      const normal = calls.filter((d) => Math.abs(d - base) < 0.02).length;
      assert.equal(slow + normal, calls.length, 'every call is either nominal or an outlier');
      // Binomial(4000, 0.05): mean 200, sd 13.8; ±5 sd.
      assert.ok(slow > 131 && slow < 269, `${slow} outliers of 4000 at ${memory} MB`);
    }
  });
});

void describe('synthetic noise: environmentSpread', () => {
  const p = profile({ cpuMs: 300, ioWaitMs: 10, coldStartMs: 50, environmentSpread: 0.2 });

  void it('draws one speed factor per environment and keeps it for every call it serves', () => {
    const random = mulberry32(5);
    const environments = [newEnvironment(), newEnvironment(), newEnvironment()];
    const seen = environments.map(() => new Set<number>());
    for (let i = 0; i < 30; i++) {
      const index = i % 3;
      const call = sampleInvocation(p, 1024, random, environments[index]!);
      assert.equal(call.coldStart, i < 3, `call ${i}`);
      if (!call.coldStart) seen[index]!.add(call.durationMs);
    }
    // Nothing else varies, so each environment gives one duration, and the three differ.
    for (const [i, durations] of seen.entries()) assert.equal(durations.size, 1, `environment ${i}`);
    const distinct = new Set(seen.map((d) => [...d][0]));
    assert.equal(distinct.size, 3);
    for (const [i, environment] of environments.entries()) {
      const expected = Math.round(noiseFreeDuration(p, 1024) * environment.speedFactor * 100) / 100;
      assert.equal([...seen[i]!][0], expected, `environment ${i} runs at its factor`);
    }
  });

  void it('spreads the factors lognormally with σ = environmentSpread', () => {
    const random = mulberry32(9);
    const factors = Array.from({ length: 4000 }, () => environmentFactor(p, random));
    assert.ok(Math.abs(logSd(factors) - 0.2) < 0.015, `σ of log ${logSd(factors).toFixed(4)}`);
  });

  void it('starts a new host after an out-of-memory kill', () => {
    const hungry = profile({ cpuMs: 10, minMemoryMb: 512, environmentSpread: 0.3, coldStartMs: 5 });
    const random = mulberry32(3);
    const environment = newEnvironment();
    const first = sampleInvocation(hungry, 256, random, environment);
    assert.equal(first.error?.type, 'Runtime.ExitError');
    assert.equal(environment.warm, false);
    assert.equal(sampleInvocation(hungry, 256, random, environment).coldStart, true);
  });
});

void describe('synthetic profiles without the new fields', () => {
  const old = profile({
    cpuMs: 100,
    ioWaitMs: 5,
    coldStartMs: 30,
    noise: { distribution: 'normal', size: 4 },
  });

  void it('parse to exactly the same profile as before (no new keys, same CodeSha256 input)', () => {
    assert.deepEqual(Object.keys(old).sort(), [
      'coldStartMs',
      'cpuMs',
      'errorRate',
      'ioWaitMs',
      'memoryUsedMb',
      'minMemoryMb',
      'noise',
      'threads',
    ]);
  });

  void it('draw exactly three numbers per call and give the original formula', () => {
    const random = mulberry32(77);
    const check = mulberry32(77);
    const environment = newEnvironment();
    for (let i = 0; i < 50; i++) {
      const call = sampleInvocation(old, 512, random, environment);
      const [u1, u2] = [check(), check(), check()];
      const noise = Math.sqrt(-2 * Math.log(1 - u1!)) * Math.cos(2 * Math.PI * u2!) * 4;
      const duration = Math.round(Math.max(0, 100 / (512 / 1769) + 5 + noise) * 100) / 100;
      const init = i === 0 ? 30 : 0;
      assert.equal(call.durationMs, Math.round((duration + init) * 1000) / 1000, `call ${i}`);
      assert.equal(call.billedMs, Math.max(1, Math.ceil(duration + init - 1e-9)), `call ${i} billed`);
    }
    assert.equal(environment.speedFactor, 1);
    const draws = drawCall(old, mulberry32(1));
    assert.deepEqual(Object.keys(draws), ['noise1', 'noise2', 'error']);
    assert.equal(syntheticDuration(old, 1769, { noise1: 0.5, noise2: 0.25, error: 0 }), 105 + 0);
  });
});

void describe('sampleInvocation', () => {
  void it('bills whole ms rounded up, at least 1 ms, with the Init Duration on cold starts', () => {
    const tiny = profile({ cpuMs: 0.3, coldStartMs: 12.5 });
    const random = mulberry32(1);
    const environment = newEnvironment();
    const cold = sampleInvocation(tiny, 10240, random, environment);
    assert.deepEqual(cold, { durationMs: 12.8, billedMs: 13, initMs: 12.5, coldStart: true });
    const warm = sampleInvocation(tiny, 10240, random, environment);
    assert.deepEqual(warm, { durationMs: 0.3, billedMs: 1, initMs: 0, coldStart: false });
    const older = sampleInvocation(tiny, 10240, mulberry32(1), newEnvironment(), { billInit: false });
    assert.equal(older.billedMs, 1);
  });

  void it('fails at errorRate with SyntheticError and below minMemoryMb with an out-of-memory kill', () => {
    const flaky = profile({ cpuMs: 20, errorRate: 0.2, minMemoryMb: 256 });
    const random = mulberry32(4);
    const environment = newEnvironment();
    const calls = Array.from({ length: 2000 }, () => sampleInvocation(flaky, 512, random, environment));
    const failed = calls.filter((c) => c.error?.type === 'SyntheticError').length;
    assert.ok(failed > 340 && failed < 460, `${failed} of 2000 failed`);
    const killed = sampleInvocation(flaky, 128, random, newEnvironment());
    assert.equal(killed.error?.type, 'Runtime.ExitError');
    assert.match(killed.error?.message ?? '', /signal: killed/);
  });

  void it('times out like the emulator when given the function timeout', () => {
    const slow = profile({ cpuMs: 300 });
    const call = sampleInvocation(slow, 128, mulberry32(1), newEnvironment(), { timeoutMs: 3000 });
    assert.equal(call.error?.type, 'Sandbox.Timedout');
    assert.equal(call.durationMs, 3000);
  });

  void it('is reproducible: the same seed gives the same calls', () => {
    const p = profile({
      cpuMs: 50,
      relativeNoise: 0.2,
      outliers: { rate: 0.1, factor: 3 },
      environmentSpread: 0.1,
    });
    const run = (seed: number) => warmCalls(p, 1024, 20, seed);
    assert.deepEqual(run(8), run(8));
    assert.notDeepEqual(run(8), run(9));
  });
});

void describe('synthetic profile validation', () => {
  void it('accepts the new fields and rejects values out of range, naming the field', () => {
    const ok = profile({
      cpuMs: 1,
      relativeNoise: 0.05,
      outliers: { rate: 0.01, factor: 5 },
      environmentSpread: 0.1,
    });
    assert.equal(ok.relativeNoise, 0.05);
    for (const [fields, path] of [
      [{ cpuMs: 1, relativeNoise: -0.1 }, 'relativeNoise'],
      [{ cpuMs: 1, outliers: { rate: 1.5, factor: 2 } }, 'outliers.rate'],
      [{ cpuMs: 1, outliers: { rate: 0.1, factor: 0.5 } }, 'outliers.factor'],
      [{ cpuMs: 1, outliers: { rate: 0.1 } }, 'outliers.factor'],
      [{ cpuMs: 1, environmentSpread: 'high' }, 'environmentSpread'],
    ] as const) {
      const parsed = syntheticProfileSchema.safeParse(fields);
      assert.equal(parsed.success, false, JSON.stringify(fields));
      assert.equal(parsed.error?.issues[0]?.path.join('.'), path);
    }
  });
});

void describe('synthetic profiles: memoryPressure', () => {
  void it('slows calls below its threshold, linearly less towards it, and not above', () => {
    const plain = profile({ cpuMs: 300, ioWaitMs: 20 });
    const pressed = profile({ cpuMs: 300, ioWaitMs: 20, memoryPressure: { belowMb: 4096, extra: 0.6 } });
    assert.equal(noiseFreeDuration(pressed, 1024), noiseFreeDuration(plain, 1024) * (1 + 0.6 * 0.75));
    assert.equal(noiseFreeDuration(pressed, 2048), noiseFreeDuration(plain, 2048) * 1.3);
    assert.equal(noiseFreeDuration(pressed, 4096), noiseFreeDuration(plain, 4096));
    assert.equal(noiseFreeDuration(pressed, 10240), noiseFreeDuration(plain, 10240));
    assert.throws(() => profile({ cpuMs: 1, memoryPressure: { belowMb: 64, extra: 1 } }));
  });
});
