/** The decision benchmark's table (terminal and Markdown), its closing lines and its JSON summary. */
import Table from 'cli-table3';
import type { MachineInfo } from '../machine.js';
import { totals, type Cell, type ModeTotals } from './aggregate.js';
import { renderArchitectureMarkdown, renderArchitectureTable } from './architecture-report.js';
import type { ArchitectureSweep } from './architecture-sweep.js';
import { renderColdMarkdown, renderColdTable } from './cold-report.js';
import type { ColdSweep } from './cold-sweep.js';
import type { ConstraintRow } from './constraint-column.js';
import { constraintLine, renderConstraintMarkdown, renderConstraintTable } from './constraint-report.js';
import type { BenchProfile } from './profiles.js';
import { MODE_NOTES, MODES, SIZES, type Mode } from './settings.js';
import { targetMisses } from './targets.js';

export interface DecisionSummary {
  runs: number;
  sizes: readonly number[];
  profiles: { name: string; description: string; environments: number }[];
  modes: Record<Mode, string>;
  cells: (Cell & { misses: string[] })[];
  totals: Record<Mode, ModeTotals>;
  /** The constraints column: one row per profile (adaptive cost runs under a p95 bound). */
  constraints: ConstraintRow[];
  /**
   * The cold-start sweep: adaptive runs given a coldStartRate (cold invocations measured, the blend
   * decided on) on the cold-start profiles, scored against the blended truth; `line` its closing line.
   */
  coldStarts: ColdSweep;
  /**
   * The architecture sweep: tunings over ["x86_64","arm64"] (both passes adaptive, then
   * chooseArchitecture) at several arm64 speed factors, scored against the true better architecture.
   */
  architectures: ArchitectureSweep;
  /** The closing lines, as printed (the adaptive one last); `constraints` is printed before them. */
  lines: Record<Mode | 'constraints', string>;
  machine: MachineInfo;
  seconds: number;
}

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;

/**
 * `decisions: max regret X%, mean regret Y%, agreement Z%`: X over every run, Y the mean over every
 * run, Z the lowest agreement of any profile × strategy (the target holds for each one).
 */
export function finalLine(t: ModeTotals, label?: string): string {
  const head = label ? `decisions (${label})` : 'decisions';
  return `${head}: max regret ${pct(t.maxRegret)}, mean regret ${pct(t.meanRegret)}, agreement ${pct(t.agreement, 1)}`;
}

export function summarise(
  cells: Cell[],
  constraints: ConstraintRow[],
  coldStarts: ColdSweep,
  architectures: ArchitectureSweep,
  profiles: readonly BenchProfile[],
  runs: number,
  machine: MachineInfo,
  seconds: number,
): DecisionSummary {
  const byMode = Object.fromEntries(MODES.map((m) => [m, totals(m, cells)])) as Record<Mode, ModeTotals>;
  return {
    runs,
    sizes: SIZES,
    profiles: profiles.map((p) => ({
      name: p.name,
      description: p.description,
      environments: p.environments,
    })),
    modes: MODE_NOTES,
    cells: cells.map((c) => ({ ...c, misses: c.mode === 'adaptive' ? targetMisses(c) : [] })),
    totals: byMode,
    constraints,
    coldStarts,
    architectures,
    lines: {
      constraints: constraintLine(constraints),
      original: finalLine(byMode.original, 'original'),
      fixed: finalLine(byMode.fixed, 'fixed'),
      adaptive: finalLine(byMode.adaptive),
    },
    machine,
    seconds,
  };
}

const HEAD = [
  'Profile',
  'Strategy',
  'Mode',
  'Best',
  'Modal',
  'Agree',
  'Best %',
  'Max regret',
  'Mean regret',
  'Invocations',
  'Dropped',
  'Settled',
  'Misses (adaptive)',
];

function row(c: DecisionSummary['cells'][number], first: boolean): string[] {
  return [
    first ? c.profile : '',
    c.mode === 'original' ? c.strategy : '',
    c.mode,
    String(c.best),
    c.modal === null ? '-' : String(c.modal),
    pct(c.agreement, 0),
    pct(c.bestShare, 0),
    pct(c.maxRegret),
    pct(c.meanRegret),
    `${c.invocationRatio.toFixed(2)}×`,
    String(c.droppedRuns + (c.failedRuns > 0 ? ` (${c.failedRuns} failed)` : '')),
    c.mode === 'adaptive' ? pct((c.stops.settled ?? 0) / c.runs, 0) : '',
    c.mode === 'adaptive' ? (c.misses.length === 0 ? 'none' : c.misses.join('; ')) : '',
  ];
}

function rows(s: DecisionSummary): string[][] {
  return s.cells.map((c, i) => row(c, i === 0 || s.cells[i - 1]?.profile !== c.profile));
}

function footer(s: DecisionSummary): string {
  const m = s.machine;
  return (
    `${s.runs} runs per profile × strategy × mode; sizes ${s.sizes.join(', ')} MB. ` +
    `Best: the least-regret size in truth; Modal: the size chosen most often; Agree: share of runs choosing it; ` +
    `Best %: share choosing Best; Invocations: mean per run / the fixed grid's; Dropped: runs that judged a ` +
    `feasible size infeasible; Settled: share of adaptive runs that stopped settled (the rest spent the budget).\nMachine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemGb} GB, Node ${m.node}, ` +
    `load average ${m.loadAverage} at start; ${s.seconds.toFixed(1)} s in all.`
  );
}

export function renderTable(s: DecisionSummary): string {
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const r of rows(s)) table.push(r);
  const adaptive = s.cells.filter((c) => c.mode === 'adaptive');
  const met = adaptive.filter((c) => c.misses.length === 0).length;
  const agreement = MODES.map((m) => `${m} ${pct(s.totals[m].meanAgreement, 1)}`).join(', ');
  const lines = [
    `adaptive targets met in ${met} of ${adaptive.length} profile × strategy cells; mean agreement: ${agreement}`,
    s.lines.original,
    s.lines.fixed,
    s.lines.adaptive,
  ];
  const column = `${renderConstraintTable(s.constraints)}\n${s.lines.constraints}`;
  const cold = renderColdTable(s.coldStarts);
  const architectures = renderArchitectureTable(s.architectures);
  return `${table.toString()}\n${footer(s)}\n\n${cold}\n\n${architectures}\n\n${column}\n\n${lines.join('\n')}`;
}

const MD_HEAD = [
  'Profile',
  'Strategy',
  'Best',
  'Original: modal (agree)',
  'regret max / mean',
  'Fixed: modal (agree)',
  'regret max / mean',
  'Adaptive: modal (agree)',
  'regret max / mean',
  'invocations',
  'Dropped (o/f/a)',
  'Adaptive misses',
];

/**
 * The tables in Markdown for the README: one row per profile × strategy, the three modes side by
 * side; then the constraints column, one row per profile; then the cold-start sweep; then the
 * architecture sweep.
 */
export function renderMarkdown(s: DecisionSummary): string {
  const lines = [`| ${MD_HEAD.join(' | ')} |`, '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
  const find = (profile: string, strategy: string, mode: Mode) =>
    s.cells.find((c) => c.profile === profile && c.strategy === strategy && c.mode === mode);
  let previous = '';
  for (const c of s.cells.filter((x) => x.mode === 'adaptive')) {
    const [o, f, a] = [
      find(c.profile, c.strategy, 'original') ?? c,
      find(c.profile, c.strategy, 'fixed') ?? c,
      c,
    ];
    const pick = (x: Cell) => `${x.modal ?? '-'} (${pct(x.agreement, 0)})`;
    const regret = (x: Cell) => `${pct(x.maxRegret, 1)} / ${pct(x.meanRegret, 1)}`;
    lines.push(
      `| ${c.profile === previous ? '' : c.profile} | ${c.strategy} | ${c.best} | ${pick(o)} | ${regret(o)} | ` +
        `${pick(f)} | ${regret(f)} | ${pick(a)} | ${regret(a)} | ${a.invocationRatio.toFixed(2)}× | ` +
        `${o.droppedRuns}/${f.droppedRuns}/${a.droppedRuns} | ${c.misses.length === 0 ? 'none' : c.misses.join('; ')} |`,
    );
    previous = c.profile;
  }
  return (
    `${lines.join('\n')}\n\n${renderConstraintMarkdown(s.constraints)}\n\n${renderColdMarkdown(s.coldStarts)}` +
    `\n\n${renderArchitectureMarkdown(s.architectures)}`
  );
}
