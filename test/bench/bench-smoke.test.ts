/**
 * The benchmark harness still runs end to end: `npm run bench -- --scale tiny --json` starts its
 * own servers, runs every scenario (1–6, scenario 4 twice) at a tiny size and prints a summary with
 * every headline figure.
 * Behaviour only: no timing is asserted (benchmarks report, tests check).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTsxScript } from '../support/tsx-script.js';

const HEADLINE_KEYS = [
  'invocationEfficiency',
  'runEfficiency',
  'throughputRatio',
  'eventsPerInvocation',
  'historyBytes',
  'peakRssMb',
  'batchingSpeedup',
  'pipelineEfficiency',
  'cpuPerInvocationRatio',
  'peakRssMb100',
];

describe('benchmark harness', () => {
  it('runs every scenario at the tiny scale and prints a complete JSON summary', async () => {
    const stdout = await runTsxScript('bench/main.ts', ['--scale', 'tiny', '--json'], 5 * 60_000);
    // --json prints only the summary object: stdout must parse as a whole.
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    for (const key of HEADLINE_KEYS) {
      const value = summary[key];
      assert.equal(typeof value, 'number', `${key} should be a number, got ${JSON.stringify(value)}`);
      assert.ok(
        Number.isFinite(value) && (value as number) > 0,
        `${key} should be finite and positive: ${value}`,
      );
    }
    const machine = summary.machine as Record<string, unknown>;
    assert.equal(typeof machine.cpus, 'number');
    assert.equal(typeof machine.cpuModel, 'string');
    assert.equal(typeof machine.totalMemGb, 'number');
    assert.match(String(machine.node), /^v\d+/);

    const scenarios = summary.scenarios as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(scenarios).sort(), [
      'concurrent',
      'concurrentMany',
      'efficiency',
      'history',
      'naive',
      'pipeline',
      'throughput',
    ]);
    // Every tuning of both runs of scenario 4 completed, and the tiny sizes were the ones run.
    assert.equal(scenarios.concurrent?.completed, scenarios.concurrent?.tunings);
    assert.deepEqual([scenarios.concurrentMany?.completed, scenarios.concurrentMany?.tunings], [3, 3]);
    // Scenario 6 measured every size's setup and invocations.
    const pipelineSizes = scenarios.pipeline?.sizes as { setupEndMs?: number; invokeBusyMs: number }[];
    assert.equal(pipelineSizes.length, 2);
    for (const size of pipelineSizes) {
      assert.ok((size.setupEndMs ?? 0) > 0 && size.invokeBusyMs > 0, JSON.stringify(size));
    }
    assert.equal(scenarios.history?.invocations, 2 * 10);
    assert.equal(scenarios.efficiency?.num, 5);
  });
});
