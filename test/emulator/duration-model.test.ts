/**
 * The duration model: synthetic profiles give exactly the durations their numbers say (and
 * reproducible noise under a seed); the real CPU-bound sample shows the classic power-tuning
 * curve. Durations are read from the REPORT line, as the tuner reads them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  InvokeCommand,
  PublishVersionCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { mulberry32, startEmulator, versionSeed, type RunningEmulator } from '../../emulator/index.js';
import { noiseFreeDuration, realHandlerDuration } from '../../emulator/invoke/cpu-model.js';
import { newEnvironment, sampleInvocation } from '../../emulator/invoke/synthetic-executor.js';
import { syntheticProfileSchema } from '../../emulator/model/definitions.js';
import { decodeLog, functionsFile, json, lambdaClient, reportOf, setMemory } from './helpers.js';

async function report(lambda: LambdaClient, name: string, qualifier?: string, payload?: unknown) {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Qualifier: qualifier,
      LogType: 'Tail',
      Payload: json(payload ?? {}),
    }),
  );
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return reportOf(decodeLog(out));
}

void describe('synthetic profiles', () => {
  const profiles = [
    { name: 'steady', synthetic: { cpuMs: 300, ioWaitMs: 20, coldStartMs: 100 }, timeout: 60 },
    { name: 'parallel', synthetic: { cpuMs: 2000, threads: 4, coldStartMs: 0 }, timeout: 60 },
    { name: 'noisy', synthetic: { cpuMs: 100, noise: { distribution: 'uniform', size: 10 } }, timeout: 60 },
    { name: 'gauss', synthetic: { cpuMs: 100, noise: { distribution: 'normal', size: 5 } }, timeout: 60 },
    {
      name: 'lognormal',
      synthetic: {
        cpuMs: 100,
        ioWaitMs: 10,
        coldStartMs: 40,
        relativeNoise: 0.1,
        outliers: { rate: 0.2, factor: 3 },
        environmentSpread: 0.1,
        noise: { distribution: 'normal', size: 1 },
      },
      timeout: 60,
    },
    { name: 'host', synthetic: { cpuMs: 100, coldStartMs: 10, environmentSpread: 0.2 }, timeout: 60 },
  ];
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  before(async () => {
    emu = await startEmulator({
      port: 0,
      timeScale: 0,
      loadSamples: false,
      functionsFile: functionsFile(profiles),
      updateDelayMs: 10,
      seed: 7,
    });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it('reports exactly cpu / min(threads, memory/1769) + I/O wait with zero noise, at every size', async () => {
    const expected: [number, number, number][] = [
      // memory, Duration, Billed Duration
      [128, 4166.09, 4167], // 300 * 1769/128 + 20 = 4166.09375
      [256, 2093.05, 2094],
      [1024, 538.26, 539],
      [1769, 320, 320],
      [3008, 320, 320], // single-threaded: nothing gained past one vCPU
      [10240, 320, 320],
    ];
    for (const [memory, duration, billed] of expected) {
      await setMemory(lambda, 'steady', memory);
      const cold = await report(lambda, 'steady');
      const warm = await report(lambda, 'steady');
      assert.deepEqual(
        [cold.duration, cold.billed, cold.memory, cold.init],
        [duration, billed + 100, memory, 100],
        `${memory} MB cold`,
      );
      assert.deepEqual(
        [warm.duration, warm.billed, warm.init],
        [duration, billed, undefined],
        `${memory} MB warm`,
      );
    }
  });

  void it('lets multi-threaded work use up to its threads in vCPUs', async () => {
    const expected: [number, number][] = [
      [1769, 2000], // 1 vCPU
      [3538, 1000], // 2 vCPUs
      [10240, 500], // 5.79 vCPUs, but only 4 threads
    ];
    for (const [memory, duration] of expected) {
      await setMemory(lambda, 'parallel', memory);
      assert.equal((await report(lambda, 'parallel')).duration, duration, `${memory} MB`);
    }
  });

  void it('draws noise from a seeded stream that a test can recompute', async () => {
    // Three draws per call: two for the noise, one for the error rate.
    const random = mulberry32(versionSeed(7, 'noisy', '$LATEST'));
    const base = 100 * (1769 / 128);
    for (let i = 0; i < 5; i++) {
      const [u1] = [random(), random(), random()];
      const expected = Math.round((base + (u1 * 2 - 1) * 10) * 100) / 100;
      const got = await report(lambda, 'noisy');
      assert.equal(got.duration, expected, `call ${i}`);
      assert.ok(Math.abs(got.duration - base) <= 10);
    }
  });

  void it('reports the multiplicative noise, outliers and host speed that sampleInvocation computes from the same stream', async () => {
    const spec = profiles.find((p) => p.name === 'lognormal')?.synthetic;
    const profile = syntheticProfileSchema.parse(spec);
    const random = mulberry32(versionSeed(7, 'lognormal', '$LATEST'));
    const environment = newEnvironment();
    const base = noiseFreeDuration(profile, 128);
    let outliers = 0;
    for (let i = 0; i < 30; i++) {
      const expected = sampleInvocation(profile, 128, random, environment);
      const got = await report(lambda, 'lognormal');
      assert.equal(got.init !== undefined, expected.coldStart, `call ${i} cold`);
      assert.equal(
        Math.round((got.duration + (got.init ?? 0)) * 1000) / 1000,
        expected.durationMs,
        `call ${i}`,
      );
      assert.equal(got.billed, expected.billedMs, `call ${i} billed`);
      if (got.duration > 2 * base) outliers += 1;
    }
    assert.ok(outliers > 0 && outliers < 15, `${outliers} of 30 calls were 3× outliers (rate 0.2)`);
  });

  void it('keeps the speed of an execution environment for every call it serves; another environment has its own', async () => {
    const warmDurations = async (qualifier?: string): Promise<number[]> => {
      const durations: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await report(lambda, 'host', qualifier);
        if (r.init === undefined) durations.push(r.duration);
      }
      return durations;
    };
    const latest = await warmDurations();
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'host' }));
    const other = await warmDurations(published.Version);
    assert.equal(new Set(latest).size, 1, `one host, one speed: ${latest.join(', ')}`);
    assert.equal(new Set(other).size, 1, `one host, one speed: ${other.join(', ')}`);
    assert.notEqual(latest[0], other[0], 'the new version runs in a new environment on another host');
    // $LATEST's environment drew its factor on its cold start, right after that call's three draws.
    const random = mulberry32(versionSeed(7, 'host', '$LATEST'));
    for (let i = 0; i < 3; i++) random();
    const factor = Math.exp(0.2 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    assert.equal(latest[0], Math.round(100 * (1769 / 128) * factor * 100) / 100);
  });

  void it('repeats the same noisy sequence under the same seed and a different one under another seed', async () => {
    const sequence = async (seed: number): Promise<number[]> => {
      const other = await startEmulator({
        port: 0,
        timeScale: 0,
        loadSamples: false,
        functionsFile: functionsFile(profiles),
        seed,
      });
      const client = lambdaClient(other.url);
      try {
        const durations: number[] = [];
        for (let i = 0; i < 4; i++) durations.push((await report(client, 'gauss')).duration);
        return durations;
      } finally {
        client.destroy();
        await other.stop();
      }
    };
    const a = await sequence(11);
    const b = await sequence(11);
    const c = await sequence(12);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(new Set(a).size > 1, 'normal noise varies from call to call');
  });
});

void describe('real CPU-bound handler', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  before(async () => {
    emu = await startEmulator({ port: 0, timeScale: 0, updateDelayMs: 10 });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it('shows the power-tuning curve: about half the duration at 256 MB than at 128 MB, flat past 1,769 MB', async () => {
    const sizes = [128, 256, 1769, 3008, 10240];
    for (const memory of sizes) {
      await setMemory(lambda, 'cpu-bound', memory);
      const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'cpu-bound' }));
      await lambda.send(
        new CreateAliasCommand({ FunctionName: 'cpu-bound', Name: `m${memory}`, FunctionVersion: v.Version }),
      );
    }
    const work = { work: 0.2 };
    const samples = new Map<number, number[]>(sizes.map((m) => [m, []]));
    // A warm-up call per size, then rounds that interleave the sizes so host load hits them alike.
    for (const m of sizes) await report(lambda, 'cpu-bound', `m${m}`, work);
    for (let round = 0; round < 7; round++) {
      for (const m of sizes)
        samples.get(m)?.push((await report(lambda, 'cpu-bound', `m${m}`, work)).duration);
    }
    // The fastest call of each size: other work on the host only ever slows a call down, so the
    // minimum is the least disturbed measure (a median still moved by 2× under a loaded CI run).
    const fastest = (m: number): number => Math.min(...(samples.get(m) ?? [NaN]));
    const [d128, d256, d1769, d3008, d10240] = sizes.map(fastest) as [number, number, number, number, number];
    const halving = d128 / d256;
    assert.ok(halving > 1.6 && halving < 2.5, `128→256 MB ratio ${halving.toFixed(2)} (${d128} / ${d256})`);
    assert.ok(d256 / d1769 > 2.5, `still improving up to 1,769 MB: ${d256} vs ${d1769}`);
    for (const [m, d] of [
      [3008, d3008],
      [10240, d10240],
    ] as const) {
      const ratio = d / d1769;
      assert.ok(
        ratio > 0.5 && ratio < 2,
        `${m} MB vs 1,769 MB ratio ${ratio.toFixed(2)}: no gain past one vCPU`,
      );
    }
  });
});

void describe('real-handler duration formula', () => {
  void it('scales CPU time by the vCPU share, not the waiting time, and lets parallel work use more vCPUs', () => {
    // Single-threaded, all CPU: 100 ms at 1 vCPU.
    assert.equal(realHandlerDuration(100, 100, 1769), 100);
    assert.ok(Math.abs(realHandlerDuration(100, 100, 128) - 100 * (1769 / 128)) < 1e-9);
    assert.equal(realHandlerDuration(100, 100, 10240), 100);
    // Waiting 100 ms with 5 ms of CPU: only the CPU part is scaled.
    assert.ok(Math.abs(realHandlerDuration(5, 105, 128) - (5 * (1769 / 128) + 100)) < 1e-9);
    // 400 ms of CPU in 100 ms of wall time = 4 threads.
    assert.equal(realHandlerDuration(400, 100, 1769), 400);
    assert.equal(realHandlerDuration(400, 100, 3538), 200);
    assert.equal(realHandlerDuration(400, 100, 10240), 100);
  });
});
