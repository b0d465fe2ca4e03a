/**
 * The whole-range exploration benchmark still runs end to end on one profile. Shape only: its
 * quality is measured by the benchmark, not asserted here; the budget is a rule, so it is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTsxScript } from '../support/tsx-script.js';

void describe('exploration benchmark harness', () => {
  void it('prints a JSON summary with a cell per strategy, within a tenth of the 64-MB grid', async () => {
    const stdout = await runTsxScript(
      'bench/exploration/main.ts',
      ['--runs', '2', '--profile', 'cpu-bound', '--json'],
      2 * 60_000,
    );
    const summary = JSON.parse(stdout) as {
      cells: { strategy: string; maxInvocationRatio: number; maxRegret: number; modal: number | null }[];
      line: string;
    };
    assert.deepEqual(summary.cells.map((c) => c.strategy).sort(), ['balanced', 'cost', 'speed']);
    for (const cell of summary.cells) {
      assert.ok(cell.maxInvocationRatio <= 0.1 + 1e-9, `${cell.strategy}: ${cell.maxInvocationRatio}`);
      assert.ok(Number.isFinite(cell.maxRegret) && cell.maxRegret >= 0);
      assert.ok(cell.modal !== null && cell.modal >= 128 && cell.modal <= 10240);
    }
    assert.match(summary.line, /^exploration: max regret \d+\.\d{2}%, mean regret \d+\.\d{2}%, agreement/);
  });
});
