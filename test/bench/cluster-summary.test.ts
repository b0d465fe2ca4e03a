/**
 * The figures of `npm run bench -- --cluster` (bench/cluster-summary.ts): throughput from the wall
 * time and the workload, CPU in seconds, the machine's busy share and the two-worker / one-worker
 * ratio; and that the table and its Markdown show them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clusterPhase,
  clusterSummary,
  renderClusterMarkdown,
  renderClusterTable,
  type ClusterPhaseMeasurement,
  type ClusterWorkload,
} from '../../bench/cluster-summary.js';

const WORKLOAD: ClusterWorkload = {
  tunings: 40,
  powerValues: 5,
  num: 100,
  functionMs: 50,
  updateDelayMs: 500,
};
const MACHINE = { cpus: 2, cpuModel: 'Test CPU', totalMemGb: 8, node: 'v22.0.0', loadAverage: 0.5 };

const one: ClusterPhaseMeasurement = {
  wallMs: 80_000,
  workers: [{ peakRssMb: 250.4, cpuMs: 60_000, activities: 600 }],
  serverCpuMs: 20_000,
  postgresCpuMs: 25_000,
  emulatorCpuMs: 30_000,
  clientCpuMs: 4_000,
  machineBusyMs: 144_000,
  machineTotalMs: 160_000,
};
const two: ClusterPhaseMeasurement = {
  wallMs: 64_000,
  workers: [
    { peakRssMb: 220, cpuMs: 28_000, activities: 310 },
    { peakRssMb: 215, cpuMs: 27_000, activities: 290 },
  ],
  serverCpuMs: 21_000,
  postgresCpuMs: 24_000,
  emulatorCpuMs: 20_500,
  clientCpuMs: 3_000,
  machineBusyMs: 124_160,
  machineTotalMs: 128_000,
};

describe('cluster bench summary', () => {
  it('computes throughput, CPU seconds and the busy share of each phase', () => {
    const phase = clusterPhase(WORKLOAD, one);
    assert.equal(phase.workers, 1);
    assert.equal(phase.wallSeconds, 80);
    // 40 tunings in 80 s; 40 × 5 × 100 = 20,000 invocations in 80 s.
    assert.equal(phase.tuningsPerMinute, 30);
    assert.equal(phase.invocationsPerSecond, 250);
    assert.deepEqual(phase.workerFigures, [{ peakRssMb: 250.4, cpuSeconds: 60, activities: 600 }]);
    assert.equal(phase.serverCpuSeconds, 20);
    assert.equal(phase.postgresCpuSeconds, 25);
    assert.equal(phase.emulatorCpuSeconds, 30);
    assert.equal(phase.clientCpuSeconds, 4);
    // 144 s busy: 60 worker + 20 server + 25 PostgreSQL + 30 emulator + 4 client, 5 s for the rest.
    assert.equal(phase.otherCpuSeconds, 5);
    assert.equal(phase.machineCpuBusy, 0.9);
    assert.throws(() => clusterPhase(WORKLOAD, { ...one, wallMs: 0 }), /wall time must be positive/);
  });

  it('reports two workers over one as the throughput ratio, with the workload and the machine', () => {
    const summary = clusterSummary(WORKLOAD, clusterPhase(WORKLOAD, one), clusterPhase(WORKLOAD, two), {
      machine: MACHINE,
      loadAverageAtEnd: 1.5,
      worker: 'compiled',
      totalMs: 300_000,
    });
    assert.equal(summary.mode, 'cluster');
    assert.equal(summary.workload.invocations, 20_000);
    assert.equal(summary.twoWorkers.invocationsPerSecond, 312.5);
    assert.equal(summary.throughputRatio, 1.25);
    assert.equal(summary.twoWorkers.tuningsPerMinute / summary.oneWorker.tuningsPerMinute, 1.25);
    assert.equal(summary.totalSeconds, 300);
    assert.deepEqual(summary.machine, MACHINE);

    const table = renderClusterTable(summary);
    assert.match(table, /Throughput, two workers \/ one: 1\.25×/);
    assert.match(table, /220 MB \/ 215 MB/);
    assert.match(table, /310 \/ 290/);
    assert.match(table, /load average 0\.5 at start and 1\.5 at end/);
    const markdown = renderClusterMarkdown(summary).split('\n');
    assert.equal(
      markdown[2],
      '| 1 | 80.0 s | 30.0 | 250 | 250 MB | 60.0 s | 600 | 20.0 s | 25.0 s | 30.0 s | 4.0 s | 5.0 s | 90% |',
    );
    assert.equal(
      markdown[3],
      '| 2 | 64.0 s | 37.5 | 313 | 220 MB / 215 MB | 28.0 s / 27.0 s | 310 / 290 | 21.0 s | 24.0 s | 20.5 s | 3.0 s | 0.7 s | 97% |',
    );
  });
});
