/**
 * Constraints in the HTML report: the latency bound drawn on the duration chart (the cost bound on
 * the cost chart), the failing sizes shaded, the verdicts in the table, and a report with no
 * recommendation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport } from '../../client/report/html.js';
import type { TuningOutput } from '../../domain/types.js';
import { constrainedOutput, unmetOutput } from './constraint-fixtures.js';
import { statisticalOutput } from './fixtures.js';
import { simulatedOutput } from './simulated.js';

function chart(html: string, id: string): string {
  const start = html.indexOf(`<svg id="${id}"`);
  assert.ok(start >= 0, `chart ${id} present`);
  return html.slice(start, html.indexOf('</svg>', start));
}

/** The y of each gridline's label, by its text: where the axis puts a value. */
function tickY(svg: string): Map<string, number> {
  const ticks = [
    ...svg.matchAll(/<text class="tick" x="[\d.]+" y="([\d.]+)" text-anchor="end">([^<]+)<\/text>/g),
  ];
  return new Map(ticks.map((m) => [m[2] ?? '', Number(m[1]) - 4]));
}

/** The bound line of a chart: its value and the y of the line across the plot. */
function boundOf(svg: string): { value: number; y1: number; y2: number; label: string } | undefined {
  const m =
    /<g class="bound" data-value="([\d.e-]+)"><title>([^<]+)<\/title><line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="([\d.]+)"\/>/.exec(
      svg,
    );
  return m ? { value: Number(m[1]), label: m[2] ?? '', y1: Number(m[3]), y2: Number(m[4]) } : undefined;
}

void describe('HTML report with constraints', () => {
  const html = renderReport({ output: constrainedOutput() });

  void it('draws the latency bound across the duration chart at its value, labelled as the pN bound', () => {
    const duration = chart(html, 'duration-chart');
    const bound = boundOf(duration);
    assert.ok(bound, 'a bound line');
    assert.equal(bound.value, 1000);
    assert.equal(bound.label, 'p95 bound 1000 ms');
    assert.equal(bound.y1, bound.y2, 'horizontal');
    // The axis reaches the bound: its 1000 ms gridline is where the line is.
    assert.equal(tickY(duration).get('1000'), bound.y1);
    assert.match(duration, /<text x="[\d.]+" y="[\d.]+" text-anchor="end">p95 bound 1000 ms<\/text>/);
    assert.equal(boundOf(chart(html, 'cost-chart')), undefined, 'no cost bound given');
    assert.match(html, /Dashed line: the p95 latency bound\. The dots are averages, not p95s/);
  });

  void it('stretches the axis to a bound above every point', () => {
    const output = constrainedOutput();
    const high = {
      ...output,
      constraints: { ...output.constraints!, bounds: { percentile: 99, maxDurationMs: 5000 } },
    };
    const duration = chart(renderReport({ output: high }), 'duration-chart');
    assert.equal(boundOf(duration)?.label, 'p99 bound 5000 ms');
    assert.equal(tickY(duration).get('5000'), boundOf(duration)?.y1);
  });

  void it('shades the slot of a size that fails, outlines an uncertain one, keeps the choice highlighted', () => {
    for (const id of ['duration-chart', 'cost-chart']) {
      const svg = chart(html, id);
      assert.deepEqual(
        [...svg.matchAll(/<rect class="fails-band" data-category="(\d+)"/g)].map((m) => m[1]),
        ['1024'],
        id,
      );
      assert.match(
        svg,
        /<g class="point fails" data-category="1024"><title>[^<]*; constraints: ✗ 1024 MB &gt; 512 MB<\/title>/,
        id,
      );
      assert.match(svg, /<g class="point uncertain" data-category="512">/, id);
      assert.match(svg, /<g class="point recommended" data-category="256">/, id);
    }
    assert.match(chart(html, 'tradeoff-chart'), /<g class="point fails" data-category="1024 MB">/);
  });

  void it('has a Constraints column with each verdict, the failing row marked, and the legend', () => {
    assert.match(html, /<th class="constraints">Constraints<\/th><th class="notes">/);
    assert.match(
      html,
      /<tr class="fails" data-power="1024">.*<td class="constraints fails">✗ 1024 MB &gt; 512 MB<\/td>/,
    );
    assert.match(html, /<td class="constraints uncertain">\? p95 980 ms vs 1000 ms \(−2\.0%\)<\/td>/);
    assert.match(
      html,
      /<tr class="recommended" data-power="256">.*<td class="constraints meets">✓ p95 960 ms/,
    );
    assert.match(html, /<tr class="infeasible" data-power="128">.*<td class="constraints"><\/td>/);
    assert.match(html, /Constraints \(every verdict at 95% confidence together\)/);
  });

  void it('puts the sentence and the statement in the summary card', () => {
    const card = html.slice(html.indexOf('<section class="card recommendation"'), html.indexOf('</section>'));
    assert.match(card, /<div class="headline">Recommended: 256 MB: /);
    assert.match(
      card,
      /<p class="lead" id="constraints">256 MB meets the constraints at 95% confidence: p95 960 ms ≤ 1000 ms/,
    );
    assert.ok(card.includes('With 95% confidence, 256 MB meets every constraint'), 'the statement');
  });

  void it('draws the cost bound on the cost chart, per million invocations', () => {
    const output = constrainedOutput();
    const costly = {
      ...output,
      constraints: { ...output.constraints!, bounds: { percentile: 95, maxCostPerInvocation: 3e-6 } },
    };
    const page = renderReport({ output: costly });
    const bound = boundOf(chart(page, 'cost-chart'));
    assert.equal(bound?.value, 3);
    assert.equal(bound?.label, 'cost bound $0.00000300 per invocation');
    assert.equal(boundOf(chart(page, 'duration-chart')), undefined, 'no latency bound given');
  });

  void it('draws no bound and no shading without constraints', () => {
    const plain = renderReport({ output: statisticalOutput() });
    const body = plain.slice(plain.indexOf('</style>'));
    assert.doesNotMatch(body, /class="bound"|fails-band|point fails|Constraints|id="constraints"/);
  });
});

void describe('HTML report without a recommendation', () => {
  const html = renderReport({ output: unmetOutput() });
  const body = html.slice(html.indexOf('</style>'));

  void it('has a clear headline, no ★ and nothing highlighted as the choice', () => {
    assert.match(
      body,
      /<div class="headline none" id="constraints">No size met the constraints: every measured size fails them at 95% confidence; the closest is 1024 MB: p95 260 ms &gt; 100 ms \(\+160\.0%\)\.<\/div>/,
    );
    assert.doesNotMatch(body, /★|Recommended|point recommended|class="recommended"|null|NaN|undefined/);
    assert.doesNotMatch(body, /statistically indistinguishable from/i);
    assert.match(body, /No size was recommended, so Rel\. cost and Rel\. speed are empty\./);
    assert.doesNotMatch(body, /<th class="standing">/, 'no choice to stand against');
  });

  void it('still draws the bound, and every measured size as failing', () => {
    const duration = chart(html, 'duration-chart');
    assert.equal(boundOf(duration)?.label, 'p95 bound 100 ms');
    assert.equal(duration.match(/<rect class="fails-band"/g)?.length, 3);
    assert.equal(duration.match(/<g class="point fails"/g)?.length, 3);
    assert.equal(duration.match(/<g class="infeasible"/g)?.length, 1, '128 MB stays a cross');
  });

  void it('renders results made by the analysis, with and without a recommendation', () => {
    for (const maxDurationMs of [5000, 1000]) {
      const output: TuningOutput = simulatedOutput({
        seed: 3,
        num: 200,
        input: { confidence: 0.95, constraints: { percentile: 95, maxDurationMs } },
      });
      const page = renderReport({ output });
      assert.equal(boundOf(chart(page, 'duration-chart'))?.value, maxDurationMs);
      const failing = output.constraints?.sizes.filter((s) => s.verdict === 'fails').length ?? 0;
      assert.equal(chart(page, 'duration-chart').match(/<rect class="fails-band"/g)?.length ?? 0, failing);
      assert.doesNotMatch(page.slice(page.indexOf('</style>')), /NaN|undefined|null MB/);
      assert.equal(page.includes('point recommended'), output.power !== null);
    }
  });
});
