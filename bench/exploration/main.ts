/**
 * `npm run bench:exploration`: how good `exploration: "model"` is over the whole memory range.
 * Tunes the decision benchmark's profiles (bench/decisions/profiles.ts) many times per strategy
 * with a tenth of the exhaustive 64-MB grid's invocations, and scores each choice against the
 * noise-free optimum over every MB from 128 to 10,240. See bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Table from 'cli-table3';
import { machineInfo } from '../machine.js';
import { aggregate, type Cell } from '../decisions/aggregate.js';
import { optionsOrExitCode } from '../cli-options.js';
import { parseDecisionArgs } from '../decisions/options.js';
import { selectProfiles } from '../decisions/profiles.js';
import { STRATEGIES } from '../decisions/settings.js';
import { AGREEMENT_TARGET } from '../decisions/targets.js';
import { groundTruth, regretOf } from '../decisions/truth.js';
import { oracleApplies, oracleSpeedChoice } from './knee-oracle.js';
import {
  BUDGET_SHARE,
  explorationSettings,
  GRID64_INVOCATIONS,
  HIGHEST_MB,
  LOWEST_MB,
  simulateExploration,
} from './run.js';
import { regretWindow, type RegretWindow } from './window.js';

/** Largest regret allowed against the whole-range optimum, every strategy (issue: 1%). */
const REGRET_TARGET = 0.01;
const ALL_MB = Array.from({ length: HIGHEST_MB - LOWEST_MB + 1 }, (_, i) => LOWEST_MB + i);
const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

/** "1351–1365 (15)": the span of the sizes within the regret target, and how many there are. */
const windowText = (w: RegretWindow) =>
  `${w.lowest === w.highest ? w.lowest : `${w.lowest}–${w.highest}`} (${w.sizes.toLocaleString('en-US')})`;

function misses(cell: Cell): string[] {
  const out: string[] = [];
  if (cell.agreement < AGREEMENT_TARGET) out.push(`agreement ${pct(cell.agreement)}`);
  if (cell.maxRegret > REGRET_TARGET) out.push(`max regret ${pct(cell.maxRegret)}`);
  if (cell.maxInvocationRatio > BUDGET_SHARE + 1e-9) out.push(`invocations ${pct(cell.maxInvocationRatio)}`);
  if (cell.failedRuns > 0) out.push(`no recommendation in ${cell.failedRuns} runs`);
  return out;
}

function main(argv: string[]): number {
  const parsed = optionsOrExitCode(
    () => parseDecisionArgs(argv),
    'Usage: npm run bench:exploration -- [--runs n] [--profile name]... [--json] [--markdown file]',
    { usageOnError: false },
  );
  if ('exitCode' in parsed) return parsed.exitCode;
  const { options } = parsed;
  const machine = machineInfo();
  const started = performance.now();
  const selected = selectProfiles(options.profiles);
  const cells: (Cell & { misses: string[]; window: RegretWindow; oracleWithin: number | null })[] = [];
  for (const bench of selected) {
    process.stderr.write(`[exploration] ${bench.name}\n`);
    for (const strategy of STRATEGIES) {
      const truth = groundTruth(bench.profile, ALL_MB, strategy);
      const outcomes = Array.from({ length: options.runs }, (_, run) =>
        simulateExploration(bench, strategy, run),
      );
      const cell = aggregate(bench, strategy, 'model', truth, outcomes, GRID64_INVOCATIONS);
      // Speed cells whose law the knee oracle knows: the share of its runs within the target.
      const budget = explorationSettings(strategy).maxInvocations;
      const oracleWithin =
        strategy === 'speed' && oracleApplies(bench)
          ? Array.from({ length: options.runs }, (_, run) => oracleSpeedChoice(bench, budget, run)).filter(
              (choice) => regretOf(truth, choice) <= REGRET_TARGET,
            ).length / options.runs
          : null;
      cells.push({ ...cell, misses: misses(cell), window: regretWindow(truth, REGRET_TARGET), oracleWithin });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const chosen = cells.reduce((s, c) => s + c.runs - c.failedRuns, 0);
  const summary = {
    runs: options.runs,
    range: [LOWEST_MB, HIGHEST_MB],
    budget: `${pct(BUDGET_SHARE, 0)} of the 64-MB grid (${GRID64_INVOCATIONS} invocations)`,
    cells,
    met: cells.filter((c) => c.misses.length === 0).length,
    maxRegret: Math.max(0, ...cells.map((c) => c.maxRegret)),
    meanRegret:
      chosen > 0 ? cells.reduce((s, c) => s + c.meanRegret * (c.runs - c.failedRuns), 0) / chosen : 0,
    agreement: Math.min(1, ...cells.map((c) => c.agreement)),
    meanInvocationRatio: cells.reduce((s, c) => s + c.invocationRatio, 0) / Math.max(1, cells.length),
    machine,
    seconds,
  };
  const line =
    `exploration: max regret ${pct(summary.maxRegret, 2)}, mean regret ${pct(summary.meanRegret, 2)}, ` +
    `agreement ${pct(summary.agreement)}, invocations ${pct(summary.meanInvocationRatio)} of the 64-MB grid on average; ` +
    `targets met in ${summary.met} of ${cells.length} cells`;
  const header = [
    'Profile',
    'Strategy',
    'Best',
    'Within 1% (MB)',
    'Modal (agree)',
    'Regret max / mean',
    'Invocations',
    'Oracle ≤ 1%',
    'Misses',
  ];
  const rows = cells.map((c) => [
    c.profile,
    c.strategy,
    String(c.best),
    windowText(c.window),
    `${c.modal ?? '-'} (${pct(c.agreement, 0)})`,
    `${pct(c.maxRegret)} / ${pct(c.meanRegret)}`,
    pct(c.invocationRatio),
    c.oracleWithin === null ? '-' : pct(c.oracleWithin, 0),
    c.misses.join('; ') || 'none',
  ]);
  if (options.markdownFile) {
    const md = [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ];
    writeFileSync(options.markdownFile, `${md.join('\n')}\n\n${line}\n`);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, line }, null, 2)}\n`);
    return 0;
  }
  const table = new Table({ head: header });
  table.push(...rows);
  process.stdout.write(
    `${table.toString()}\n${options.runs} runs per profile × strategy; every MB from ${LOWEST_MB} to ${HIGHEST_MB}; ` +
      `Best: the least-regret size in truth; Within 1%: the sizes whose true regret is at most 1% (how many); Invocations: mean per run / the exhaustive 64-MB grid's; Oracle ≤ 1%: runs in which an oracle knowing the law places the speed knee within 1% on the same budget (bench/exploration/knee-oracle.ts).\n` +
      `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemGb} GB, Node ${machine.node}, load average ${machine.loadAverage} at start; ${seconds.toFixed(1)} s in all.\n${line}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
