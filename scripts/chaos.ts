/**
 * `npm run chaos -- --trials N [--concurrency 2] [--seed S]`
 *
 * Runs N chaos trials: each starts a tuning on a worker process and SIGKILLs that worker at a
 * random phase or after a random delay, then checks that a fresh worker completes the run with
 * exact counts and that the function is left exactly as it was. Starts its own dev server and
 * emulator. Ends with the line `chaos: N trials, N passed, N failed`; exits 1 if any failed.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { startEmulator } from '../emulator/index.js';
import { mulberry32 } from '../emulator/invoke/prng.js';
import { startDevServer } from '../infra/dev-server.js';
import { runChaosTrial, type KillPoint } from '../test/support/chaos-trial.js';
import { writeTestFunctions } from '../test/support/functions-file.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '2' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const trials = Number(values.trials);
const concurrency = Number(values.concurrency);
const seed = Number(values.seed);
for (const [name, v] of [
  ['--trials', trials],
  ['--concurrency', concurrency],
  ['--seed', seed],
] as const) {
  if (!Number.isInteger(v) || v < (name === '--seed' ? 0 : 1)) {
    console.error(`${name} must be a positive integer`);
    process.exit(2);
  }
}

const random = mulberry32(seed);
const PHASES: KillPoint[] = ['setup', 'invoking', 'analyzing', 'cleanup'];
const plan = Array.from({ length: trials }, (_, i) => {
  const killAt: KillPoint =
    random() < 0.5
      ? (PHASES[Math.floor(random() * PHASES.length)] as KillPoint)
      : { afterMs: Math.floor(random() * 8000) };
  return {
    functionName: `chaos-${i}`,
    killAt,
    num: 10 + Math.floor(random() * 30),
    parallel: random() < 0.3,
    // Adaptive runs spread each size over 3 environments: their setup and cleanup too are killed.
    adaptive: random() < 0.4,
    // Some search every MB (adaptive too): sizes published between rounds are killed as well.
    explore: random() < 0.2,
    // Some have a p95 bound near 512 MB's on hosts 8% apart: that size is published again over
    // more environments between rounds, and those steps are killed as well.
    grow: random() < 0.2,
  };
});

/** A p95 bound close over 512 MB's (about 124 ms a call, 10% noise, hosts 8% apart). */
const GROW_BOUND = { percentile: 95, maxDurationMs: 165 };
/** A growth trial (exploration takes no constraints, so an exploring trial does not grow). */
const grows = (t: { grow: boolean; explore: boolean }) => t.grow && !t.explore;
const functions = writeTestFunctions(
  Object.fromEntries(
    plan.map((t) => [
      t.functionName,
      grows(t)
        ? { cpuMs: 30, ioWaitMs: 20, relativeNoise: 0.1, environmentSpread: 0.08 }
        : { cpuMs: 30, ioWaitMs: 20 },
    ]),
  ),
  {},
  // Today's size is among those a growth trial tunes, so no baseline joins them.
  Object.fromEntries(plan.filter(grows).map((t) => [t.functionName, { memorySize: 512 }])),
);
const server = await startDevServer();
const emulator = await startEmulator({
  port: 0,
  timeScale: 1,
  functionsFile: functions.file,
  loadSamples: false,
});
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection, namespace: server.namespace });
console.log(`chaos: seed ${seed}, ${trials} trials, ${concurrency} at a time`);

let passed = 0;
let failed = 0;
try {
  const queue = plan.map((t, i) => ({ ...t, i }));
  const lanes = Array.from({ length: concurrency }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      const outcome = await runChaosTrial(
        { client, address: server.address, namespace: server.namespace, emulator },
        {
          functionName: t.functionName,
          killAt: t.killAt,
          num: t.num,
          powerValues: t.explore ? [128, 3008] : grows(t) ? [512, 1024] : [128, 256, 512],
          parallelInvocation: t.parallel,
          ...(t.adaptive || t.explore || grows(t) ? { confidence: 0.95 } : {}),
          ...(t.explore ? { exploration: 'model' as const } : {}),
          ...(grows(t) ? { constraints: GROW_BOUND } : {}),
        },
      );
      const aim = typeof t.killAt === 'object' ? `after ${t.killAt.afterMs} ms` : t.killAt;
      if (outcome.ok) passed++;
      else failed++;
      console.log(
        `trial ${t.i + 1}: kill ${aim} (landed in ${outcome.killedIn}), num ${t.num}${t.parallel ? ', parallel' : ''}${t.adaptive ? ', adaptive' : ''}${t.explore ? ', exploration' : ''}${grows(t) ? ', latency bound' : ''}: ` +
          (outcome.ok ? 'passed' : `FAILED\n  ${outcome.problems.join('\n  ')}`),
      );
    }
  });
  await Promise.all(lanes);
} finally {
  await connection.close();
  await emulator.stop();
  await server.stop();
}
console.log(`chaos: ${trials} trials, ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
