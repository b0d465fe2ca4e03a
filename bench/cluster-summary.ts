/**
 * `npm run bench -- --cluster`: the figures of each phase (one worker, then two, same workload),
 * the summary object (`--json`) and its table. Pure: bench/cluster-bench.ts measures, this computes.
 */
import Table from 'cli-table3';
import type { MachineInfo } from './machine.js';
import type { WorkerForm } from './worker-build.js';

/** The workload each phase runs: `tunings` tunings at once, each `powerValues` sizes × `num`. */
export interface ClusterWorkload {
  tunings: number;
  powerValues: number;
  num: number;
  /** Duration of every invocation (I/O wait of the emulated function, in real time), ms. */
  functionMs: number;
  updateDelayMs: number;
}

/** What one phase measured: differences of /proc samples taken before the first start and after the last result. */
export interface ClusterPhaseMeasurement {
  wallMs: number;
  /** One entry per worker of the phase, each a fresh process. */
  workers: { peakRssMb: number; cpuMs: number; activities: number }[];
  serverCpuMs: number;
  /** PostgreSQL's process group: the postmaster and its backends. */
  postgresCpuMs: number;
  emulatorCpuMs: number;
  /** The bench's own process: the client starting the tunings and awaiting them. */
  clientCpuMs: number;
  /** The whole machine's busy and total CPU time (all cores) during the phase. */
  machineBusyMs: number;
  machineTotalMs: number;
}

export interface ClusterPhase {
  workers: number;
  wallSeconds: number;
  tuningsPerMinute: number;
  invocationsPerSecond: number;
  /** Per worker, in start order: peak RSS (VmHWM), CPU seconds (user + system), activities it ran. */
  workerFigures: { peakRssMb: number; cpuSeconds: number; activities: number }[];
  /** The Temporal server's CPU seconds. */
  serverCpuSeconds: number;
  postgresCpuSeconds: number;
  emulatorCpuSeconds: number;
  /** The bench's client (starting the tunings, awaiting their results). */
  clientCpuSeconds: number;
  /** The machine's busy CPU seconds left after all of the above: other processes running meanwhile. */
  otherCpuSeconds: number;
  /** Share of the machine's CPU (every core) that was busy, 0–1, whatever process used it. */
  machineCpuBusy: number;
}

export interface ClusterSummary {
  mode: 'cluster';
  workload: ClusterWorkload & { invocations: number };
  oneWorker: ClusterPhase;
  twoWorkers: ClusterPhase;
  /** Two workers' invocations per second over one worker's (the same workload, so also tunings/min). */
  throughputRatio: number;
  machine: MachineInfo;
  loadAverageAtEnd: number;
  worker: WorkerForm;
  totalSeconds: number;
}

export function invocationsOf(w: ClusterWorkload): number {
  return w.tunings * w.powerValues * w.num;
}

export function clusterPhase(workload: ClusterWorkload, m: ClusterPhaseMeasurement): ClusterPhase {
  if (!(m.wallMs > 0)) throw new Error(`a phase's wall time must be positive, got ${m.wallMs} ms`);
  const seconds = m.wallMs / 1000;
  const clusterCpuMs =
    m.workers.reduce((sum, w) => sum + w.cpuMs, 0) +
    m.serverCpuMs +
    m.postgresCpuMs +
    m.emulatorCpuMs +
    m.clientCpuMs;
  return {
    workers: m.workers.length,
    wallSeconds: seconds,
    tuningsPerMinute: (workload.tunings * 60) / seconds,
    invocationsPerSecond: invocationsOf(workload) / seconds,
    workerFigures: m.workers.map((w) => ({
      peakRssMb: w.peakRssMb,
      cpuSeconds: w.cpuMs / 1000,
      activities: w.activities,
    })),
    serverCpuSeconds: m.serverCpuMs / 1000,
    postgresCpuSeconds: m.postgresCpuMs / 1000,
    emulatorCpuSeconds: m.emulatorCpuMs / 1000,
    clientCpuSeconds: m.clientCpuMs / 1000,
    otherCpuSeconds: (m.machineBusyMs - clusterCpuMs) / 1000,
    machineCpuBusy: m.machineTotalMs > 0 ? m.machineBusyMs / m.machineTotalMs : 0,
  };
}

export function clusterSummary(
  workload: ClusterWorkload,
  oneWorker: ClusterPhase,
  twoWorkers: ClusterPhase,
  run: { machine: MachineInfo; loadAverageAtEnd: number; worker: WorkerForm; totalMs: number },
): ClusterSummary {
  return {
    mode: 'cluster',
    workload: { ...workload, invocations: invocationsOf(workload) },
    oneWorker,
    twoWorkers,
    throughputRatio: twoWorkers.invocationsPerSecond / oneWorker.invocationsPerSecond,
    machine: run.machine,
    loadAverageAtEnd: run.loadAverageAtEnd,
    worker: run.worker,
    totalSeconds: run.totalMs / 1000,
  };
}

const HEAD = [
  'Workers',
  'Wall',
  'Tunings/min',
  'Invocations/s',
  'Peak RSS per worker',
  'CPU per worker',
  'Activities per worker',
  'Server CPU',
  'PostgreSQL CPU',
  'Emulator CPU',
  'Client CPU',
  'Other CPU',
  'Machine CPU busy',
];

function cells(p: ClusterPhase): string[] {
  const each = (f: (w: ClusterPhase['workerFigures'][number]) => string) =>
    p.workerFigures.map(f).join(' / ');
  return [
    String(p.workers),
    `${p.wallSeconds.toFixed(1)} s`,
    p.tuningsPerMinute.toFixed(1),
    p.invocationsPerSecond.toFixed(0),
    each((w) => `${w.peakRssMb.toFixed(0)} MB`),
    each((w) => `${w.cpuSeconds.toFixed(1)} s`),
    each((w) => String(w.activities)),
    `${p.serverCpuSeconds.toFixed(1)} s`,
    `${p.postgresCpuSeconds.toFixed(1)} s`,
    `${p.emulatorCpuSeconds.toFixed(1)} s`,
    `${p.clientCpuSeconds.toFixed(1)} s`,
    `${p.otherCpuSeconds.toFixed(1)} s`,
    `${(p.machineCpuBusy * 100).toFixed(0)}%`,
  ];
}

function headline(s: ClusterSummary): string {
  const w = s.workload;
  return (
    `${w.tunings} tunings at once × ${w.powerValues} sizes × ${w.num} invocations of ${w.functionMs} ms ` +
    `(${w.invocations} invocations), one worker then two, same cluster and functions`
  );
}

export function machineLine(s: ClusterSummary): string {
  const m = s.machine;
  return (
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemGb} GB RAM, Node ${m.node}, load average ` +
    `${m.loadAverage} at start and ${s.loadAverageAtEnd} at end; ${s.worker} worker; ` +
    `${s.totalSeconds.toFixed(0)} s in all.`
  );
}

export function renderClusterTable(s: ClusterSummary): string {
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  table.push(cells(s.oneWorker), cells(s.twoWorkers));
  return [
    headline(s),
    table.toString(),
    `Throughput, two workers / one: ${s.throughputRatio.toFixed(2)}×`,
    machineLine(s),
  ].join('\n');
}

/** The same table in Markdown, for the README. */
export function renderClusterMarkdown(s: ClusterSummary): string {
  const right = new Set([1, 2, 3]);
  return [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (right.has(i) ? '---:' : '---')).join('|')}|`,
    ...[s.oneWorker, s.twoWorkers].map((p) => `| ${cells(p).join(' | ')} |`),
    '',
    `${headline(s)}. Throughput, two workers / one: ${s.throughputRatio.toFixed(2)}×.`,
  ].join('\n');
}
