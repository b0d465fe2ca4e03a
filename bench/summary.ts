/** The benchmark's summary object (`--json`) and its readable table. */
import Table from 'cli-table3';
import { machineInfo, type MachineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import type { ConcurrentResult } from './scenarios/concurrent.js';
import type { EfficiencyResult } from './scenarios/efficiency.js';
import type { HistoryResult } from './scenarios/history-economy.js';
import type { PipelineResult } from './scenarios/pipeline.js';
import type { ThroughputResult } from './scenarios/throughput.js';

export interface ScenarioResults {
  efficiency?: EfficiencyResult;
  throughput?: ThroughputResult;
  history?: HistoryResult;
  concurrent?: ConcurrentResult;
  /** Scenario 4 again with many more tunings (memory only, no reference). */
  concurrentMany?: ConcurrentResult;
  naive?: EfficiencyResult;
  pipeline?: PipelineResult;
}

/** Headline figures are null when their scenario was not run. */
export interface BenchSummary {
  invocationEfficiency: number | null;
  runEfficiency: number | null;
  throughputRatio: number | null;
  eventsPerInvocation: number | null;
  historyBytes: number | null;
  peakRssMb: number | null;
  batchingSpeedup: number | null;
  /** Scenario 6: the pipelined lower bound over the whole run's time. */
  pipelineEfficiency: number | null;
  /** Scenario 2: worker CPU per invocation over the bare SDK's. */
  cpuPerInvocationRatio: number | null;
  /** Scenario 4's second run (100 tunings at the default scale). */
  peakRssMb100: number | null;
  machine: MachineInfo;
  /** 1-minute load average when the run ended (the machine's at start is in `machine`). */
  loadAverageAtEnd: number;
  /** The worker measured: compiled (as the container image runs it) or tsx. */
  worker: BenchOptions['worker'];
  scale: BenchOptions['scale'];
  totalSeconds: number;
  scenarios: ScenarioResults;
}

export function summarize(
  results: ScenarioResults,
  machine: MachineInfo,
  opts: BenchOptions,
  totalMs: number,
): BenchSummary {
  const { efficiency, throughput, history, concurrent, concurrentMany, naive, pipeline } = results;
  return {
    invocationEfficiency: efficiency?.invocationEfficiency ?? null,
    runEfficiency: efficiency?.runEfficiency ?? null,
    throughputRatio: throughput?.throughputRatio ?? null,
    eventsPerInvocation: history?.eventsPerInvocation ?? null,
    historyBytes: history?.historyBytes ?? null,
    peakRssMb: concurrent?.workerPeakRssMb ?? null,
    batchingSpeedup: naive && efficiency ? naive.invokeMs / efficiency.invokeMs : null,
    pipelineEfficiency: pipeline?.pipelineEfficiency ?? null,
    cpuPerInvocationRatio: throughput?.cpuPerInvocationRatio ?? null,
    peakRssMb100: concurrentMany?.workerPeakRssMb ?? null,
    machine,
    loadAverageAtEnd: machineInfo().loadAverage,
    worker: opts.worker,
    scale: opts.scale,
    totalSeconds: totalMs / 1000,
    scenarios: results,
  };
}

interface Row {
  scenario: string;
  figure: string;
  value: string;
  target: string;
  met?: boolean;
  detail: string;
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(3)} MB`;

function rows(s: BenchSummary): Row[] {
  const { efficiency: e, throughput: t, history: h, naive: n, pipeline: p } = s.scenarios;
  const out: Row[] = [];
  if (e) {
    out.push({
      scenario: `1. ${e.powerValues} × ${e.num} sequential, 50 ms`,
      figure: 'invocation-phase efficiency',
      value: fixed(e.invocationEfficiency, 3),
      target: '≥ 0.97',
      met: e.invocationEfficiency >= 0.97,
      detail:
        `ideal ${secs(e.idealMs)}, invoking ${secs(e.invokeMs)}; bare SDK ${secs(e.bareMs)} ` +
        `(${fixed(e.bareEfficiency)}); best of ${e.rounds}`,
    });
    out.push({
      scenario: '',
      figure: 'whole-run efficiency',
      value: fixed(e.runEfficiency, 3),
      target: 'setup overlaps',
      met: e.setupOverlapMs > 0,
      detail:
        `run ${secs(e.runMs)}: before invoking ${secs(e.setupMs)}, after ${secs(e.cleanupMs)}; ` +
        `setup overlaps invocation by ${secs(e.setupOverlapMs)}`,
    });
  }
  if (t) {
    out.push({
      scenario: `2. ${t.powerValues} × ${t.num} parallel (${t.concurrency} each), instant`,
      figure: 'throughput tuner / bare SDK',
      value: fixed(t.throughputRatio, 3),
      target: '≥ 1.0',
      met: t.throughputRatio >= 1,
      detail: `${t.tunerPerSecond.toFixed(0)}/s vs ${t.barePerSecond.toFixed(0)}/s; best of ${t.rounds}`,
    });
    out.push({
      scenario: '',
      figure: 'worker CPU per invocation / bare SDK',
      value: fixed(t.cpuPerInvocationRatio, 3),
      target: '≤ 1.5',
      met: t.cpuPerInvocationRatio <= 1.5,
      detail: `${fixed(t.tunerCpuMsPerInvocation, 3)} vs ${fixed(t.bareCpuMsPerInvocation, 3)} ms (tuner: whole run)`,
    });
  }
  if (h) {
    out.push({
      scenario: `3. ${h.powerValues} × ${h.num} sequential, instant`,
      figure: 'history events per invocation',
      value: fixed(h.eventsPerInvocation, 4),
      target: '< 0.1',
      met: h.eventsPerInvocation < 0.1,
      detail: `${h.historyEvents} events for ${h.invocations} invocations (${(h.eventLimitShare * 100).toFixed(2)}% of the limit)`,
    });
    out.push({
      scenario: '',
      figure: 'history size',
      value: mb(h.historyBytes),
      target: '< 2 MB',
      met: h.historyBytes < 2 * 1024 * 1024,
      detail: `${h.bytesPerInvocation.toFixed(0)} B per invocation (${(h.byteLimitShare * 100).toFixed(2)}% of the 50 MB limit)`,
    });
  }
  out.push(...concurrentRows(s.scenarios));
  if (n && e && s.batchingSpeedup !== null) {
    out.push({
      scenario: `5. scenario 1, one activity per invocation`,
      figure: 'batching speed-up (naive / batched)',
      value: `${fixed(s.batchingSpeedup)}×`,
      target: '(reported)',
      detail:
        `naive: invoking ${secs(n.invokeMs)}, efficiency ${fixed(n.invocationEfficiency)}, ` +
        `${n.historyEvents} events vs ${e.historyEvents}`,
    });
  }
  if (p) {
    out.push({
      scenario: `6. ${p.powerValues} × ${p.num} sequential, CPU-bound`,
      figure: 'whole run / pipelined bound',
      value: fixed(p.pipelineEfficiency, 3),
      target: '≥ 0.85',
      met: p.pipelineEfficiency >= 0.85,
      detail:
        `bound ${secs(p.boundMs)}, run ${secs(p.runMs)}; setup done at ${secs(p.setupEndMs)}, ` +
        `first invocation at ${secs(p.beforeInvokeMs)}, after the last ${secs(p.afterInvokeMs)}`,
    });
  }
  return out;
}

/** Scenario 4's two runs: peak memory (the targets) and CPU against the reference. */
function concurrentRows({ concurrent: c, concurrentMany: m }: ScenarioResults): Row[] {
  const out: Row[] = [];
  if (c) {
    out.push({
      scenario: `4. ${c.tunings} tunings × ${c.powerValues} × ${c.num}, instant`,
      figure: 'worker peak RSS',
      value: `${c.workerPeakRssMb.toFixed(0)} MB`,
      target: '≤ 250 MB',
      met: c.workerPeakRssMb <= 250 && c.completed === c.tunings,
      detail:
        `${c.completed}/${c.tunings} completed in ${secs(c.wallMs)}` +
        (c.barePeakRssMb === undefined ? '' : `; bare SDK peak ${c.barePeakRssMb.toFixed(0)} MB`),
    });
    if (c.bareCpuMsPerInvocation !== undefined)
      out.push({
        scenario: '',
        figure: 'worker CPU per invocation',
        value: `${fixed(c.cpuMsPerInvocation, 3)} ms`,
        target: '(reported)',
        detail: `bare SDK ${fixed(c.bareCpuMsPerInvocation, 3)} ms (ratio ${fixed(c.cpuMsPerInvocation / c.bareCpuMsPerInvocation)})`,
      });
  }
  if (m) {
    out.push({
      scenario: `4. ${m.tunings} tunings × ${m.powerValues} × ${m.num}, instant`,
      figure: 'worker peak RSS',
      value: `${m.workerPeakRssMb.toFixed(0)} MB`,
      target: '< 600 MB',
      met: m.workerPeakRssMb < 600 && m.completed === m.tunings,
      detail: `${m.completed}/${m.tunings} completed in ${secs(m.wallMs)}; CPU per invocation ${fixed(m.cpuMsPerInvocation, 3)} ms`,
    });
  }
  return out;
}

export function renderTable(s: BenchSummary): string {
  const table = new Table({
    head: ['Scenario', 'Figure', 'Value', 'Target', 'Met', 'Detail'],
    style: { head: [], border: [] },
  });
  for (const r of rows(s))
    table.push([
      r.scenario,
      r.figure,
      r.value,
      r.target,
      r.met === undefined ? '' : r.met ? 'yes' : 'NO',
      r.detail,
    ]);
  const m = s.machine;
  const machine =
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemGb} GB, Node ${m.node}, ` +
    `load average ${m.loadAverage} at start, ${s.loadAverageAtEnd} at end; ${s.worker} worker; ` +
    `scale ${s.scale}; ${s.totalSeconds.toFixed(0)} s in all`;
  return `${table.toString()}\n${machine}`;
}

/** The same table in Markdown, for the README. */
export function renderMarkdown(s: BenchSummary): string {
  const lines = ['| Scenario | Figure | Value | Target | Met | Detail |', '|---|---|---:|---|---|---|'];
  for (const r of rows(s)) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.scenario} | ${r.figure} | ${r.value} | ${r.target} | ${met} | ${r.detail} |`);
  }
  return lines.join('\n');
}
