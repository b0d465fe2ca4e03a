/** The constraints column in words: its table (terminal and Markdown) and its closing line. */
import Table from 'cli-table3';
import { BOUND_MARGIN } from './constraint-cases.js';
import type { ConstraintRow } from './constraint-column.js';
import { CONSTRAINT_STRATEGY, GRID_INVOCATIONS } from './settings.js';

const pct = (x: number, digits = 0) => `${(x * 100).toFixed(digits)}%`;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
const ratio = (x: number) => `${x.toFixed(2)}×`;

const HEAD = [
  'Profile',
  'Bound (ms)',
  'Meet in truth',
  'Cheapest',
  'Margin',
  'Above bound (calls)',
  'Correct',
  'Within 1%',
  'Violating',
  'No rec.',
  'Overpay',
  'Settled',
  'Invocations',
  'None-meets bound',
  'Reported none',
  'Wrong rec.',
  'Invocations ',
  'Misses',
];

function cells(r: ConstraintRow): string[] {
  const m = r.meets;
  const n = r.noneMeets;
  const meets = m
    ? [
        ms(m.maxDurationMs),
        `${m.meeting[0] ?? '-'}+ (${m.meeting.length})`,
        String(m.truthChoice),
        `±${pct(Math.min(m.marginBelow, m.marginAbove), 1)}`,
        resolvabilityCell(r),
        pct(m.correct),
        pct(m.withinTolerance),
        pct(m.violating),
        pct(m.noRecommendation),
        pct(m.maxCostRegret, 1),
        pct(m.settled),
        ratio(m.invocationRatio),
      ]
    : ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'];
  return [
    r.profile,
    ...meets,
    ms(n.maxDurationMs),
    pct(n.reportedNone),
    pct(n.wronglyRecommended),
    ratio(n.invocationRatio),
    r.misses.length === 0 ? 'none' : r.misses.join('; '),
  ];
}

/** `2.3% / 24% (990 / 55)`: the neighbours' true shares above the bound and the calls each verdict takes. */
function resolvabilityCell(r: ConstraintRow): string {
  const v = r.resolvability;
  if (!v) return '-';
  const calls = (n: number | null) => (n === null ? '>100k' : String(n));
  return (
    `${pct(v.meeting.shareAbove, 1)} / ${pct(v.failing.shareAbove, 1)} ` +
    `(${calls(v.meeting.callsToDecide)} / ${calls(v.failing.callsToDecide)})`
  );
}

function explanation(rows: ConstraintRow[]): string {
  const first = rows[0];
  const budget = first
    ? `${first.budget} invocations (${ratio(first.budget / GRID_INVOCATIONS)} the grid: ` +
      `${first.budgetFactor === 1 ? 'the default validation gives' : `${first.budgetFactor} × the default`})`
    : '-';
  return (
    `Constraints: adaptive ${CONSTRAINT_STRATEGY} runs with a p${first?.percentile ?? 95} latency bound, budget ${budget}. ` +
    `Bound: between two sizes' true p95 (Monte Carlo), Margin the smaller distance to either; Meet in truth: the ` +
    `smallest meeting size and how many meet; Above bound (calls): the true share of warm calls above the bound of ` +
    `the slowest size meeting it / the fastest failing it, and the calls on it a verdict takes at one check's error ` +
    `to settle 4 times in 5; Cheapest: the right answer; Correct / Violating / No rec.: shares of ` +
    `runs choosing it / a size truly over the bound / nothing; Within 1%: runs choosing a meeting size at most 1% ` +
    `dearer in truth (the decision table's tolerance; the target is on Correct); Overpay: largest true cost / the cheapest's − 1 over ` +
    `the runs choosing a meeting size. None-meets: a bound ${pct(BOUND_MARGIN)} under every true p95; Reported ` +
    `none / Wrong rec.: shares of runs with no recommendation / with one.`
  );
}

/** `constraints: …` over every profile: the lowest correct share, the most violations and wrong recommendations. */
export function constraintLine(rows: ConstraintRow[]): string {
  const meets = rows.flatMap((r) => (r.meets ? [r.meets] : []));
  const lowest = Math.min(1, ...meets.map((m) => m.correct));
  const violating = Math.max(0, ...meets.map((m) => m.violating));
  const noRec = Math.max(0, ...meets.map((m) => m.noRecommendation));
  const wrong = Math.max(0, ...rows.map((r) => r.noneMeets.wronglyRecommended));
  const met = rows.filter((r) => r.misses.length === 0).length;
  return (
    `constraints: targets met on ${met} of ${rows.length} profiles; cheapest meeting size chosen in at least ` +
    `${pct(lowest, 1)}, violating at most ${pct(violating, 1)}, no recommendation at most ${pct(noRec, 1)}; ` +
    `none-meets wrongly recommended at most ${pct(wrong, 1)}`
  );
}

export function renderConstraintTable(rows: ConstraintRow[]): string {
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const r of rows) table.push(cells(r));
  return `${table.toString()}\n${explanation(rows)}`;
}

export function renderConstraintMarkdown(rows: ConstraintRow[]): string {
  const head = HEAD.map((h) => h.trim());
  const align = head.map((_, i) => (i === 0 || i === 2 || i === head.length - 1 ? '---' : '---:'));
  const lines = [`| ${head.join(' | ')} |`, `|${align.join('|')}|`];
  for (const r of rows) lines.push(`| ${cells(r).join(' | ')} |`);
  return lines.join('\n');
}
