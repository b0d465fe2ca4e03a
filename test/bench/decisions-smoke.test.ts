/**
 * The decision benchmark still runs end to end: `npm run bench:decisions -- --runs 2` on two
 * profiles prints its table and closing lines, and `--json` prints one parsable summary. Shape
 * only: decision quality is measured by the benchmark, not asserted here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTsxScript } from '../support/tsx-script.js';

const ARGS = ['--runs', '2', '--profile', 'tiny', '--profile', 'flaky'];
const LINE = /^decisions: max regret \d+\.\d{2}%, mean regret \d+\.\d{2}%, agreement \d+\.\d%$/;
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
  });

  void it('prints only a JSON summary with --json', async () => {
    const summary = JSON.parse(await run(['--json'])) as {
      runs: number;
      cells: Record<string, unknown>[];
      lines: Record<string, string>;
      totals: Record<string, Record<string, number>>;
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
  });
});
