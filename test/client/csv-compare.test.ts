import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after as afterAll, before as beforeAll, describe, it } from 'node:test';
import { changeVerdict, compareResults, renderComparison } from '../../client/format/compare.js';
import { CSV_COLUMNS, csvField, resultCsv } from '../../client/format/csv.js';
import type { TuningOutput } from '../../domain/types.js';
import { around, sampleOutput, stats, statisticalOutput } from './fixtures.js';
import { cpuBound, SIM_POWERS, simulatedOutput } from './simulated.js';
import { parseCsv, runCaptured } from './support.js';

void describe('CSV', () => {
  void it('quotes fields with commas, quotes or line breaks', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(NaN), '');
  });

  void it('has a header and one row per power value, parseable back', () => {
    const rows = parseCsv(resultCsv(sampleOutput()));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 5);
    const byPower = new Map(
      rows.slice(1).map((r) => [r[0], Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))]),
    );
    assert.equal(byPower.get('256')?.['recommended'], 'true');
    assert.equal(byPower.get('512')?.['recommended'], 'false');
    assert.equal(Number(byPower.get('1024')?.['averageCost']), 4e-6);
    assert.equal(Number(byPower.get('256')?.['p90Ms']), 960);
    assert.equal(byPower.get('128')?.['feasible'], 'false');
    assert.equal(byPower.get('128')?.['averageDurationMs'], '', 'no average for an infeasible size');
    assert.match(byPower.get('128')?.['infeasibleReason'] ?? '', /"killed", out of memory/);
  });

  // The header of results written before the statistics were added, as scripts reading by position
  // saw it: written out as text so that a reordering of CSV_COLUMNS cannot pass unnoticed.
  const OLD_HEADER =
    'memoryMB,recommended,feasible,invocations,errors,allowedErrors,coldStarts,averageDurationMs,' +
    'p50Ms,p90Ms,p99Ms,stdDevMs,averageCost,totalCost,relativeCost,relativeSpeed,currency,' +
    'infeasibleReason';
  const OLD_COLUMNS = OLD_HEADER.split(',');

  const parsed = (output: TuningOutput) => {
    const rows = parseCsv(resultCsv(output));
    return new Map(
      rows.slice(1).map((r) => [r[0], Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))]),
    );
  };

  void it('keeps the existing columns first, in their order, and adds the statistics at the end', () => {
    assert.deepEqual(CSV_COLUMNS.slice(0, OLD_COLUMNS.length), OLD_COLUMNS);
    const byPower = parsed(statisticalOutput());
    const s256 = byPower.get('256') ?? {};
    assert.equal(Number(s256['averageDurationLowerMs']), 800 * (1 - 0.031));
    assert.equal(Number(s256['averageDurationUpperMs']), 800 * (1 + 0.031));
    assert.equal(Number(s256['averageCostLower']), 2.1e-6 * (1 - 0.03));
    assert.equal(s256['p90Bounded'], 'false');
    assert.equal(s256['standing'], 'best');
    assert.equal(s256['confidenceLevel'], '0.95');
    const s512 = byPower.get('512') ?? {};
    assert.equal(s512['errorRate'], '0.1');
    assert.equal(s512['errorRateLower'], '0.018');
    assert.equal(s512['standing'], 'equivalent');
    // An infeasible size keeps its error rate (why it failed) but has no figures to bound.
    const s128 = byPower.get('128') ?? {};
    assert.equal(s128['errorRate'], '1');
    assert.equal(s128['averageDurationLowerMs'], '');
    assert.equal(s128['standing'], '');
  });

  void it('leaves the new columns empty for results of older runs', () => {
    for (const row of parsed(sampleOutput()).values()) {
      for (const column of CSV_COLUMNS.slice(OLD_COLUMNS.length)) assert.equal(row[column], '', column);
    }
  });
});

void describe('compare: real changes and noise', () => {
  const cells = (text: string, power: number) =>
    (text.split('\n').find((l) => new RegExp(`│\\s+${power}( ★\\w+)? │`).test(l)) ?? '')
      .split('│')
      .map((c) => c.trim())
      .slice(1, -1);

  void it('calls a change real only when the intervals do not overlap', () => {
    const i = (lower: number, upper: number) => ({ lower, upper });
    assert.equal(changeVerdict(i(90, 110), i(105, 120)), 'within-noise');
    assert.equal(changeVerdict(i(90, 110), i(110, 120)), 'within-noise', 'touching ends overlap');
    assert.equal(changeVerdict(i(90, 110), i(111, 120)), 'real');
    assert.equal(changeVerdict(i(111, 120), i(90, 110)), 'real');
    assert.equal(changeVerdict(i(100, 100), i(100, 100)), 'within-noise', 'identical noise-free runs');
    assert.equal(changeVerdict(undefined, i(90, 110)), 'no-intervals');
    assert.equal(changeVerdict(i(NaN, NaN), i(90, 110)), 'no-intervals');
    // An interval that is no guarantee (p90 from too few invocations) tells nothing either way.
    assert.equal(changeVerdict(i(90, 110), i(105, 120), false), 'too-few');
    assert.equal(changeVerdict(i(90, 110), i(111, 120), false), 'too-few');
  });

  void it('two runs of the same simulated function: within noise for every size', () => {
    const a = simulatedOutput({ seed: 101 });
    const b = simulatedOutput({ seed: 202 });
    const cmp = compareResults(a, b);
    assert.deepEqual(
      cmp.sizes.map((s) => s.power),
      SIM_POWERS,
    );
    for (const size of cmp.sizes) {
      assert.equal(size.durationVerdict, 'within-noise', `${size.power} MB duration`);
      assert.equal(size.costVerdict, 'within-noise', `${size.power} MB cost`);
      // 30 invocations cannot bound a p90 at 95% (it takes 36): no claim either way.
      assert.equal(size.p90Verdict, 'too-few', `${size.power} MB p90`);
    }
    const text = renderComparison(cmp);
    for (const power of SIM_POWERS) {
      const row = cells(text, power);
      assert.match(row[3] ?? '', /^within noise \([-+±]\d+\.\d%\)$/, `${power} MB Δ duration: ${row[3]}`);
      assert.match(row[9] ?? '', /^within noise \([-+±]\d+\.\d%\)$/, `${power} MB Δ cost: ${row[9]}`);
      assert.match(row[1] ?? '', /^\d+ ±\d+\.\d%$/, 'the average with its interval');
      assert.match(row[6] ?? '', /^[-+±]\d+\.\d% \(too few to tell\)$/, `${power} MB Δ p90: ${row[6]}`);
    }
    assert.match(text, /No real change: every duration and cost difference is within noise\./);
    assert.doesNotMatch(text, /Real changes|no intervals/i);
  });

  void it('a result compared with itself: within noise everywhere, with the ±0.0% change', () => {
    // 40 invocations per size: enough to bound p90 at 95%, so it is judged too.
    const a = simulatedOutput({ seed: 7, num: 40 });
    const text = renderComparison(compareResults(a, a));
    for (const power of SIM_POWERS) {
      const row = cells(text, power);
      assert.equal(row[3], 'within noise (±0.0%)');
      assert.equal(row[6], 'within noise (±0.0%)');
      assert.equal(row[9], 'within noise (±0.0%)');
    }
  });

  void it('a function made 30% faster: real changes at every size', () => {
    const a = simulatedOutput({ seed: 101 });
    const b = simulatedOutput({ seed: 202, base: (p) => 0.7 * cpuBound(p) });
    const cmp = compareResults(a, b);
    for (const size of cmp.sizes) {
      assert.equal(size.durationVerdict, 'real', `${size.power} MB duration`);
      assert.equal(size.costVerdict, 'real', `${size.power} MB cost`);
      assert.ok((size.durationChange ?? 0) < -0.2, `${size.power} MB faster`);
    }
    const text = renderComparison(cmp);
    for (const power of SIM_POWERS) assert.match(cells(text, power)[3] ?? '', /^-\d+\.\d%$/);
    assert.match(text, /Real changes: 128 MB duration -\d+\.\d%.*cost -\d+\.\d%; 256 MB/);
  });

  void it('says "no intervals (older run)" and shows the plain changes when a side lacks intervals', () => {
    const old = sampleOutput();
    const cmp = compareResults(old, statisticalOutput());
    assert.deepEqual(cmp.intervals, { before: false, after: true });
    assert.equal(cmp.sizes.find((s) => s.power === 256)?.durationVerdict, 'no-intervals');
    const text = renderComparison(cmp);
    assert.match(text, /No intervals \(older run\): A has no confidence intervals/);
    assert.match(cells(text, 512)[3] ?? '', /^±0\.0%$/, 'today’s change, unlabelled');
    assert.doesNotMatch(text, /within noise \(/);
    const both = renderComparison(compareResults(old, old));
    assert.match(both, /No intervals \(older run\): A and B have no confidence intervals/);
  });

  void it('notes a moved recommendation between sizes a run could not tell apart', () => {
    const a = statisticalOutput();
    const b = statisticalOutput({ power: 512, cost: 2.15e-6, duration: 410 });
    const cmp = compareResults(a, b);
    assert.match(cmp.recommendationNote ?? '', /256 MB and 512 MB could not be told apart in A and B/);
    assert.match(
      renderComparison(cmp),
      /Recommendation changed: 256 MB \(A\) → 512 MB \(B\)\. 256 MB and 512 MB/,
    );
    const apart = compareResults(a, statisticalOutput({ power: 1024, equivalentSizes: [1024] }));
    assert.equal(apart.recommendationNote, undefined);
  });

  void it('a shift inside the intervals is noise, one beyond them is real', () => {
    const a = statisticalOutput();
    const shifted = statisticalOutput({
      results: statisticalOutput().results.map((r) =>
        r.power === 256
          ? { ...r, averageDuration: 840, durationInterval: around(840, 0.031) }
          : r.power === 1024
            ? { ...r, averageDuration: 260, durationInterval: around(260, 0.015) }
            : r,
      ),
    });
    const cmp = compareResults(a, shifted);
    assert.equal(cmp.sizes.find((s) => s.power === 256)?.durationVerdict, 'within-noise', '+5% inside ±3%');
    assert.equal(cmp.sizes.find((s) => s.power === 1024)?.durationVerdict, 'real', '+18% outside ±1.5%');
  });
});

void describe('powertune compare and result on saved files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-compare-'));
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(simulatedOutput({ seed: 101 })));
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(simulatedOutput({ seed: 202 })));
    fs.writeFileSync(path.join(dir, 'old.json'), JSON.stringify(sampleOutput()));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('reports two identical runs as within noise for every size', async () => {
    const r = await runCaptured(['compare', 'a.json', 'b.json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /│\s+\d+( ★\w+)? │/.test(l));
    assert.equal(rows.length, SIM_POWERS.length);
    for (const row of rows) {
      const cells = row.split('│').map((c) => c.trim());
      assert.match(cells[4] ?? '', /^within noise \(/, `Δ duration: ${row}`);
      assert.match(cells[10] ?? '', /^within noise \(/, `Δ cost: ${row}`);
    }
    const json = await runCaptured(['compare', 'a.json', 'b.json', '--json'], { cwd: dir });
    const parsedJson = JSON.parse(json.stdout) as {
      sizes: { durationVerdict: string; costVerdict: string }[];
    };
    assert.ok(
      parsedJson.sizes.every((s) => s.durationVerdict === 'within-noise' && s.costVerdict === 'within-noise'),
    );
  });

  void it('compares an older result with a new one by averages, and says so', async () => {
    const r = await runCaptured(['compare', 'old.json', 'a.json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No intervals \(older run\): A has no confidence intervals/);
  });

  void it('prints the table with intervals and the statement for a new result, and the old one as before', async () => {
    const fresh = await runCaptured(['result', 'a.json'], { cwd: dir });
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /Standing/);
    assert.match(fresh.stdout, /Confidence: (not )?settled \(95% confidence/);
    assert.match(fresh.stdout, /Invocations: 150 spent \/ 150 grid/);
    const old = await runCaptured(['result', 'old.json'], { cwd: dir });
    assert.equal(old.code, 0, old.stderr);
    assert.doesNotMatch(old.stdout, /Standing|Confidence:|±\d/);
    assert.match(old.stdout, /★ recommended/);
  });
});

void describe('compare', () => {
  const before = sampleOutput();
  const after = sampleOutput({
    power: 512,
    results: [
      stats(128, 1500, 1.9e-6),
      stats(256, 600, 1.6e-6),
      stats(512, 300, 1.5e-6),
      stats(2048, 150, 5e-6),
    ],
  });

  void it('computes the change in duration and cost per size, and keeps sizes tested only once', () => {
    const cmp = compareResults(before, after);
    assert.deepEqual(
      cmp.sizes.map((s) => s.power),
      [128, 256, 512, 1024, 2048],
    );
    const s256 = cmp.sizes.find((s) => s.power === 256);
    assert.ok(Math.abs((s256?.durationChange ?? NaN) - (600 / 800 - 1)) < 1e-12);
    assert.ok(Math.abs((s256?.costChange ?? NaN) - (1.6 / 2.1 - 1)) < 1e-12);
    assert.equal(
      cmp.sizes.find((s) => s.power === 128)?.durationChange,
      undefined,
      'infeasible before: no change',
    );
    assert.equal(cmp.sizes.find((s) => s.power === 1024)?.after, undefined);
    assert.deepEqual(cmp.recommended, { before: 256, after: 512 });
  });

  void it('renders a table with the changes and says the recommendation moved', () => {
    const text = renderComparison(compareResults(before, after));
    assert.match(text, /Recommendation changed: 256 MB \(A\) → 512 MB \(B\)/);
    const line256 = text.split('\n').find((l) => /│\s+256(\s★\w+)? │/.test(l)) ?? '';
    assert.match(line256, /-25\.0%/);
    assert.match(line256, /-23\.8%/);
    assert.match(text.split('\n').find((l) => /│\s+2048 │/.test(l)) ?? '', /not tested/);
    assert.match(text.split('\n').find((l) => /│\s+128 │/.test(l)) ?? '', /infeasible/);
  });

  void it('warns when the two results are not comparable', () => {
    const other = sampleOutput({ functionName: 'other-fn', currency: 'CNY' });
    const cmp = compareResults(before, other);
    assert.ok(cmp.warnings.some((w) => w.includes('different functions')));
    assert.ok(cmp.warnings.some((w) => w.includes('Different currencies')));
    assert.ok(cmp.sizes.every((s) => s.costChange === undefined));
  });
});
