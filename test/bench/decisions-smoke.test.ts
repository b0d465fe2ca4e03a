/**
 * The decision benchmark still runs end to end: `npm run bench:decisions -- --runs 2` on two
 * profiles prints its table, its constraints column and its closing lines, and `--json` prints one
 * parsable summary. Shape and consistency only: decision quality is measured by the benchmark, not
 * asserted here (the constraint bounds must still sit between the true percentiles they claim).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTsxScript } from '../support/tsx-script.js';

const ARGS = ['--runs', '2', '--profile', 'tiny', '--profile', 'flaky'];
const LINE = /^decisions: max regret \d+\.\d{2}%, mean regret \d+\.\d{2}%, agreement \d+\.\d%$/;
const CONSTRAINT_LINE =
  /^constraints: targets met on \d+ of 2 profiles; cheapest meeting size chosen in at least \d+\.\d%, violating at most \d+\.\d%, no recommendation at most \d+\.\d%; none-meets wrongly recommended at most \d+\.\d%$/;
const SIZE_COUNT = 11;
const GRID = 10 * SIZE_COUNT;
const MODES = ['original', 'fixed', 'adaptive'];
const STRATEGIES = ['cost', 'speed', 'balanced'];

const run = (extra: string[] = []): Promise<string> =>
  runTsxScript('bench/decisions/main.ts', [...ARGS, ...extra], 2 * 60_000);

void describe('decision benchmark harness', () => {
  void it('prints a row per profile × strategy × mode and ends with the adaptive line', async () => {
    const lines = (await run()).trimEnd().split('\n');
    const last = lines[lines.length - 1] ?? '';
    assert.match(last, LINE);
    assert.match(lines[lines.length - 2] ?? '', /^decisions \(fixed\): max regret /);
    assert.match(lines[lines.length - 3] ?? '', /^decisions \(original\): max regret /);
    const rows = lines.filter((l) => /│ (original|fixed|adaptive) +│/.test(l));
    assert.equal(rows.length, 2 * STRATEGIES.length * MODES.length);
    assert.ok(lines.some((l) => l.includes('│ tiny ')));
    assert.ok(lines.some((l) => l.includes('│ flaky ')));
    // The constraints column: its header, one row per profile, its line before the closing lines.
    const header = lines.findIndex((l) => l.includes('│ Bound (ms) '));
    assert.ok(header > 0, 'constraints table header');
    const constraintRows = lines.slice(header + 1).filter((l) => /^│ (tiny|flaky) +│/.test(l));
    assert.equal(constraintRows.length, 2);
    assert.match(lines[lines.length - 6] ?? '', CONSTRAINT_LINE);
  });

  void it('prints only a JSON summary with --json', async () => {
    const summary = JSON.parse(await run(['--json'])) as {
      runs: number;
      cells: Record<string, unknown>[];
      lines: Record<string, string>;
      totals: Record<string, Record<string, number>>;
      constraints: ConstraintRow[];
    };
    assert.equal(summary.runs, 2);
    assert.equal(summary.cells.length, 2 * STRATEGIES.length * MODES.length);
    for (const cell of summary.cells) {
      assert.ok(['tiny', 'flaky'].includes(cell.profile as string));
      assert.ok(STRATEGIES.includes(cell.strategy as string));
      assert.ok(MODES.includes(cell.mode as string));
      for (const key of ['agreement', 'bestShare', 'maxRegret', 'meanRegret', 'invocationRatio']) {
        const value = cell[key];
        assert.ok(typeof value === 'number' && Number.isFinite(value) && value >= 0, `${key}: ${value}`);
      }
      assert.equal(typeof cell.droppedRuns, 'number');
    }
    assert.match(summary.lines.adaptive ?? '', LINE);
    for (const mode of MODES) assert.equal(typeof summary.totals[mode]?.maxRegret, 'number');

    assert.match(summary.lines.constraints ?? '', CONSTRAINT_LINE);
    assert.deepEqual(
      summary.constraints.map((r) => r.profile),
      ['tiny', 'flaky'],
    );
    for (const row of summary.constraints) checkConstraintRow(row, summary.runs);
  });
});

interface Figures {
  runs: number;
  settled: number;
  invocationRatio: number;
  maxInvocationRatio: number;
  choices: Record<string, number>;
  maxDurationMs: number;
}
interface ConstraintRow {
  profile: string;
  percentile: number;
  truePercentiles: Record<string, number | null>;
  budget: number;
  budgetFactor: number;
  meets:
    | (Figures & {
        meeting: number[];
        truthChoice: number;
        correct: number;
        violating: number;
        dearer: number;
        noRecommendation: number;
        marginBelow: number;
        marginAbove: number;
      })
    | null;
  noneMeets: Figures & { reportedNone: number; wronglyRecommended: number };
  misses: string[];
}

const isShare = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

function checkFigures(f: Figures, runs: number, budget: number): void {
  assert.equal(f.runs, runs);
  assert.ok(isShare(f.settled));
  assert.ok(f.invocationRatio >= 1 && f.invocationRatio <= f.maxInvocationRatio, `${f.invocationRatio}`);
  // Never more than the budget the validation gave.
  assert.ok(f.maxInvocationRatio <= budget / GRID + 1e-9, `${f.maxInvocationRatio} vs ${budget}`);
  const chosen = Object.values(f.choices).reduce((s, n) => s + n, 0);
  assert.ok(chosen <= runs);
}

/** Shares add up, and each bound sits where the column says: between / below the true percentiles. */
function checkConstraintRow(row: ConstraintRow, runs: number): void {
  assert.equal(row.percentile, 95);
  assert.equal(row.budgetFactor, 1);
  assert.ok(Number.isInteger(row.budget) && row.budget > GRID, `budget ${row.budget}`);
  const p95 = Object.entries(row.truePercentiles);
  assert.equal(p95.length, SIZE_COUNT);
  const known = p95.flatMap(([power, v]) => (v === null ? [] : [[Number(power), v] as const]));
  assert.ok(known.length > 0 && known.every(([, v]) => Number.isFinite(v) && v > 0));

  const none = row.noneMeets;
  checkFigures(none, runs, row.budget);
  assert.ok(isShare(none.reportedNone) && isShare(none.wronglyRecommended));
  assert.ok(close(none.reportedNone + none.wronglyRecommended, 1));
  assert.ok(
    known.every(([, v]) => v > none.maxDurationMs),
    'none-meets bound under every size',
  );
  assert.ok(Array.isArray(row.misses));

  const meets = row.meets;
  assert.ok(meets !== null, `${row.profile}: a bound splits its sizes`);
  checkFigures(meets, runs, row.budget);
  for (const share of [meets.correct, meets.violating, meets.dearer, meets.noRecommendation])
    assert.ok(isShare(share));
  assert.ok(close(meets.correct + meets.violating + meets.dearer + meets.noRecommendation, 1));
  assert.ok(meets.meeting.includes(meets.truthChoice));
  for (const [power, v] of known) {
    const meetsIt = meets.meeting.includes(power);
    assert.equal(
      v < meets.maxDurationMs,
      meetsIt,
      `${row.profile} ${power} MB: p95 ${v} vs ${meets.maxDurationMs}`,
    );
  }
  assert.ok(meets.meeting.length > 0 && meets.meeting.length < known.length);
  assert.ok(meets.marginBelow > 0 && meets.marginAbove > 0);
}
