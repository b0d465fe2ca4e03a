/**
 * A model exploration in the views: the terminal summary states what was measured against the
 * grid and that the rest of the range is only predicted, and lists the measured sizes only; the
 * report draws the fitted curve with its band as a prediction and the measured sizes as dots at
 * their measured figures. Outputs come from the analysis the workflow runs, on simulated
 * invocations of two-thread code (faster up to 3,538 MB).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { renderResultSummary, renderResultTable } from '../../client/format/table.js';
import { renderReport } from '../../client/report/html.js';
import { logTicks, memoryTicks } from '../../client/report/scale.js';
import type { ExplorationCurve, TuningOutput } from '../../domain/types.js';
import { sampleOutput } from './fixtures.js';
import { simulatedOutput } from './simulated.js';

const twoThreads = (power: number) => 10 + 400 / Math.min(power / 1769, 2);

function explored(
  powers: number[],
  extra: { errorRate?: (power: number) => number; sigma?: number } = {},
): TuningOutput {
  const output = simulatedOutput({
    seed: 11,
    num: 20,
    powers,
    sigma: extra.sigma ?? 0.05,
    base: twoThreads,
    ...(extra.errorRate ? { errorRate: extra.errorRate } : {}),
    input: { powerValues: [128, 10240], exploration: 'model', confidence: 0.95, strategy: 'speed' },
  });
  assert.ok(output.exploration, 'the analysis reports the exploration');
  return output;
}

/** The first sizes of a whole-range exploration and three the curve pointed at. */
const MEASURED = [128, 307, 739, 1769, 2600, 3200, 3538, 4263, 10240];

void describe('model exploration in the terminal summary', () => {
  const output = explored(MEASURED);
  const summary = renderResultSummary(output);
  const reasons = explainRecommendation(output).reasons;

  void it('states what was measured against the grid, and that the rest is only predicted', () => {
    assert.ok(reasons.includes(output.exploration?.statement ?? '?'), reasons.join('\n'));
    assert.equal(
      reasons[reasons.length - 1],
      `These 9 sizes were measured: ${MEASURED.join(', ')} MB. The rest of the range from 128 to 10240 MB is only predicted by the fitted curve, not measured.`,
    );
    assert.doesNotMatch(summary, /Only these sizes were measured|nothing is known/);
    assert.match(summary, /Invocations: 180 spent \/ 3180 on the 64-MB grid of the range/);
  });

  void it('lists the measured sizes only in the table, and calls the fastest a measured one', () => {
    const rows = renderResultTable(output)
      .split('\n')
      .flatMap((l) => /^│\s+(?:★ )?(\d+) │/.exec(l)?.[1] ?? []);
    assert.deepEqual(rows.map(Number), MEASURED);
    const predictedOnly = output.exploration?.curve?.points.filter((p) => !p.measured) ?? [];
    assert.ok(predictedOnly.length > 100, 'the curve has many sizes that were not measured');
    assert.match(summary, /The cheapest measured size, 128 MB/);
  });

  void it('says nothing is known beyond the measured sizes when no curve could be fitted', () => {
    const two = explored([128, 10240]);
    assert.equal(two.exploration?.curve, undefined);
    const last = explainRecommendation(two).reasons.at(-1);
    assert.equal(
      last,
      'These 2 sizes were measured: 128, 10240 MB. No curve could be fitted, so nothing is known about the rest of the range from 128 to 10240 MB.',
    );
  });

  void it('leaves a grid run’s wording as it was', () => {
    const grid = simulatedOutput({ seed: 11, input: { confidence: 0.95 } });
    assert.equal(grid.exploration, undefined);
    const text = renderResultSummary(grid);
    assert.match(text, /Only these sizes were measured: 128, 256, 512, 1024, 2048 MB\. Sizes in between/);
    assert.match(text, /grid \(num × sizes\)/);
    assert.doesNotMatch(text, /predicted|64-MB|measured size,/);
  });
});

function curveOf(output: TuningOutput): ExplorationCurve {
  const curve = output.exploration?.curve;
  assert.ok(curve, 'a curve was fitted');
  return curve;
}

/** The exploration chart's SVG. */
function chartOf(html: string): string {
  const start = html.indexOf('<svg id="exploration-chart"');
  assert.ok(start >= 0, 'the exploration chart is drawn');
  return html.slice(start, html.indexOf('</svg>', start));
}

/** A path's vertices as [x, y] pairs. */
function vertices(d: string): [number, number][] {
  return d
    .replace(/^M|Z$/g, '')
    .split('L')
    .map((pair) => pair.split(' ').map(Number) as [number, number]);
}

void describe('model exploration in the HTML report', () => {
  const output = explored(MEASURED);
  const curve = curveOf(output);
  const html = renderReport({ output });
  const chart = chartOf(html);

  void it('has the section with the statement, the key and a caption that keep prediction and measurement apart', () => {
    const section = html.slice(
      html.indexOf('<section id="exploration">'),
      html.indexOf('</section>', html.indexOf('<section id="exploration">')),
    );
    assert.match(section, /<h2>Exploration: measured and predicted<\/h2>/);
    assert.ok(
      section.includes(`<p class="lead" id="exploration-statement">${output.exploration?.statement}</p>`),
    );
    // Once: the recommendation card leaves it to the section.
    assert.equal(html.split(output.exploration?.statement ?? '-').length, 2, 'the statement appears once');
    assert.match(chart, /<g class="key-prediction">.*predicted \(fitted curve, band at 95% pointwise\)/);
    assert.match(chart, /<g class="key-measured point">.*measured \(trimmed mean ± CI\)/);
    assert.match(section, /Neither is a measurement\. Dots: the 9 measured sizes/);
    // Before the other charts, which draw the measured sizes only.
    assert.ok(html.indexOf('id="exploration"') < html.indexOf('<h2>Charts</h2>'));
  });

  void it('draws one dot per measured size, at its measured trimmed mean, and none at a predicted-only size', () => {
    const dots = [
      ...chart.matchAll(
        /<g class="point( recommended)? measured" data-category="(\d+)" data-value="([\d.]+)">/g,
      ),
    ];
    assert.deepEqual(
      dots.map((m) => Number(m[2])),
      MEASURED,
    );
    for (const m of dots) {
      const row = output.results.find((r) => r.power === Number(m[2]));
      assert.equal(Number(m[3]), row?.averageDuration, `${m[2]} MB: the measured figure`);
    }
    assert.deepEqual(
      dots.filter((m) => m[1]).map((m) => Number(m[2])),
      [output.power],
      'the recommendation is marked',
    );
    assert.match(chart, new RegExp(`★ ${output.power} MB</text>`));
  });

  void it('draws the curve through every predicted size, inside its shaded band', () => {
    const group =
      /<g class="prediction" data-points="(\d+)"><title>([^<]*)<\/title><path class="band" d="([^"]+)"\/><path class="line" d="([^"]+)"\/><\/g>/.exec(
        chart,
      );
    assert.ok(group, 'one band and one line');
    assert.equal(Number(group[1]), curve.points.length);
    assert.match(group[2] ?? '', /^Predicted by the fitted curve, not measured/);
    const line = vertices(group[4] ?? '');
    const band = vertices(group[3] ?? '');
    assert.equal(line.length, curve.points.length);
    assert.equal(band.length, 2 * curve.points.length);
    const upper = band.slice(0, line.length);
    const lower = band.slice(line.length).reverse();
    line.forEach(([x, y], i) => {
      assert.equal(upper[i]?.[0], x);
      assert.equal(lower[i]?.[0], x);
      // SVG's y grows downwards: the upper edge is drawn above the line, the lower below it.
      assert.ok((upper[i]?.[1] ?? NaN) <= y && y <= (lower[i]?.[1] ?? NaN), `vertex ${i}`);
    });
    // Longer durations higher up, along the curve.
    const at = (power: number) => line[curve.points.findIndex((p) => p.power === power)]?.[1] ?? NaN;
    assert.ok(at(128) < at(1769) && at(1769) < at(3538));
  });

  void it('puts a measured dot above the line exactly when the measurement is slower than the prediction', () => {
    const line = vertices(/<path class="line" d="([^"]+)"/.exec(chart)?.[1] ?? '');
    for (const power of MEASURED) {
      const dot = new RegExp(
        `data-category="${power}" data-value="[\\d.]+"><title>[^<]*</title><circle cx="([\\d.]+)" cy="([\\d.]+)"`,
      ).exec(chart);
      assert.ok(dot, `${power} MB`);
      const i = curve.points.findIndex((p) => p.power === power);
      const [lineX, lineY] = line[i] ?? [NaN, NaN];
      assert.equal(Number(dot[1]), lineX, `${power} MB: the dot sits at its size`);
      const measured = output.results.find((r) => r.power === power)?.averageDuration ?? NaN;
      const predicted = curve.points[i]?.duration ?? NaN;
      if (Math.abs(measured / predicted - 1) > 0.01)
        assert.equal(
          Number(dot[2]) < lineY,
          measured > predicted,
          `${power} MB: ${measured} against ${predicted}`,
        );
    }
  });

  void it('marks a size measured but unusable with a cross and says so', () => {
    const failing = explored(MEASURED, { errorRate: (p) => (p === 128 ? 1 : 0) });
    const page = renderReport({ output: failing });
    const svg = chartOf(page);
    assert.match(
      svg,
      /<g class="infeasible" data-category="128"><title>128 MB, measured: unusable \(all 20 invocations failed/,
    );
    assert.doesNotMatch(svg, /class="point[^"]*" data-category="128"/);
    assert.match(
      page,
      /Dots: the 8 measured sizes that could be used.*A cross marks the size measured but unusable/,
    );
  });

  void it('draws no curve and says why when none could be fitted', () => {
    const page = renderReport({ output: explored([128, 10240]) });
    const svg = chartOf(page);
    assert.doesNotMatch(svg, /class="prediction"|key-prediction/);
    assert.equal(svg.match(/<g class="point[^"]* measured"/g)?.length, 2);
    assert.match(
      page,
      /No curve: too few sizes could be measured to fit one, so nothing between them is predicted\./,
    );
  });

  void it('escapes the statement and has no broken figures', () => {
    const exploration = output.exploration;
    assert.ok(exploration);
    const evil = renderReport({
      output: { ...output, exploration: { ...exploration, statement: '<img src=x onerror=alert(1)>' } },
    });
    assert.doesNotMatch(evil, /<img/);
    assert.match(evil, /id="exploration-statement">&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(html, /NaN|undefined|Infinity/);
  });

  void it('is absent from a grid run’s report', () => {
    assert.doesNotMatch(renderReport({ output: sampleOutput() }), /id="exploration"|exploration-chart/);
  });
});

void describe('log scale of the exploration chart', () => {
  void it('covers the values with room and round ticks inside', () => {
    const axis = logTicks(203, 5564);
    assert.ok(axis.lower < 203 && axis.upper > 5564);
    assert.deepEqual(axis.ticks, [200, 500, 1000, 2000, 5000]);
    // A short range gets finer ticks; a long one decades.
    assert.deepEqual(logTicks(90, 140).ticks, [80, 100, 150]);
    assert.deepEqual(logTicks(100, 130).ticks, [100, 120, 140]);
    assert.deepEqual(logTicks(1, 50_000).ticks, [1, 10, 100, 1000, 10_000]);
  });

  void it('marks the ends of the memory range and the powers of two between', () => {
    assert.deepEqual(memoryTicks(128, 10240), [128, 256, 512, 1024, 2048, 4096, 8192, 10240]);
    assert.deepEqual(memoryTicks(1000, 1500), [1000, 1024, 1500]);
  });
});
