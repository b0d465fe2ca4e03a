import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HIDDEN_PAYLOAD, renderReport } from '../../client/report/html.js';
import { niceStep, niceTicks } from '../../client/report/scale.js';
import { sampleOutput, statisticalOutput } from './fixtures.js';
import { simulatedOutput } from './simulated.js';

function section(html: string, id: string): string {
  const start = html.indexOf(`<svg id="${id}"`);
  assert.ok(start >= 0, `chart ${id} present`);
  return html.slice(start, html.indexOf('</svg>', start));
}

void describe('HTML report', () => {
  const html = renderReport({
    output: sampleOutput(),
    input: { lambdaARN: 'my-function', num: 10, payload: { user: 'alice' } },
    workflowId: 'powertune-my-function-abc123',
  });

  void it('is self-contained: no script, no stylesheet link, no external resource', () => {
    assert.ok(html.startsWith('<!doctype html>'));
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<link/i);
    assert.doesNotMatch(html, /\ssrc=/i);
    const urls = html.match(/https?:\/\/[^\s"'<)]+/g) ?? [];
    for (const url of urls) {
      assert.ok(
        url === 'http://www.w3.org/2000/svg' || url.startsWith('https://lambda-power-tuning.show/'),
        `unexpected URL ${url}`,
      );
    }
  });

  void it('draws a marker per tested size, a cross for the infeasible one, and no line between sizes', () => {
    const duration = section(html, 'duration-chart');
    assert.equal(duration.match(/<g class="point/g)?.length, 3);
    assert.equal(duration.match(/<g class="infeasible"/g)?.length, 1);
    assert.match(duration, /<g class="point recommended" data-category="256">/);
    assert.equal(duration.match(/<g class="range">/g)?.length, 3, 'p50–p90 whisker per measured size');
    assert.doesNotMatch(html, /<polyline|<polygon/);
    // The only paths are the infeasible crosses (one per chart that shows 128 MB).
    assert.equal(html.match(/<path /g)?.length, 2);
    const cost = section(html, 'cost-chart');
    assert.equal(cost.match(/<g class="point/g)?.length, 3);
    const tradeOff = section(html, 'tradeoff-chart');
    assert.equal(tradeOff.match(/<g class="point/g)?.length, 3);
  });

  void it('has the table with every size, the recommendation, the infeasible reason and the input', () => {
    assert.equal(html.match(/<tr[^>]*data-power=/g)?.length, 4);
    assert.match(html, /<tr class="recommended" data-power="256">/);
    assert.match(html, /<tr class="infeasible" data-power="128">/);
    assert.match(html, /Recommended: 256 MB/);
    assert.match(html, /<ul id="infeasible"><li><b>128 MB<\/b>: all 10 invocations failed/);
    assert.match(html, /&quot;user&quot;: &quot;alice&quot;/);
    assert.match(html, /<a id="visualization" href="https:\/\/lambda-power-tuning\.show\/#AAEC;AAAA;AAAA">/);
  });

  void it('hides the payload when disablePayloadLogs is set', () => {
    const hidden = renderReport({
      output: sampleOutput(),
      input: { lambdaARN: 'f', num: 5, payload: { secret: 's3cr3t-value' }, disablePayloadLogs: true },
    });
    assert.doesNotMatch(hidden, /s3cr3t-value/);
    assert.ok(hidden.includes(HIDDEN_PAYLOAD));
  });

  void it('escapes names from the result', () => {
    const evil = renderReport({ output: sampleOutput({ functionName: '<img src=x onerror=alert(1)>' }) });
    assert.doesNotMatch(evil, /<img/);
    assert.match(evil, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });
});

void describe('HTML report with statistics', () => {
  const output = statisticalOutput();
  const html = renderReport({ output, input: { lambdaARN: 'my-function', num: 10, confidence: 0.95 } });
  const errorBars = (svg: string) => svg.match(/<g class="error-bar">/g)?.length ?? 0;

  void it('draws an error bar on each tested point from its interval, and none for the infeasible size', () => {
    const duration = section(html, 'duration-chart');
    assert.equal(errorBars(duration), 3);
    assert.equal(duration.match(/<g class="range band">/g)?.length, 3, 'p50–p90 as a band beside the bar');
    assert.equal(errorBars(section(html, 'cost-chart')), 3);
    // The trade-off chart bounds both figures of each point.
    assert.equal(errorBars(section(html, 'tradeoff-chart')), 6);
    // The bar spans the interval: 256 MB is 800 ms ± 3.1%, so 775.2 to 824.8 ms on the axis.
    const point =
      /<g class="point recommended" data-category="256">.*?<\/text><\/g>/.exec(duration)?.[0] ?? '';
    const ys = [
      ...point.matchAll(/<g class="error-bar"><line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="([\d.]+)"/g),
    ];
    assert.equal(ys.length, 1, point);
    const [low, high] = [Number(ys[0]?.[1]), Number(ys[0]?.[2])];
    assert.ok(low > high, 'lower bound drawn below the upper one');
    // Axis 0..1000 ms over 202 px (300 − 46 − 52): 49.6 ms is about 10 px.
    assert.ok(Math.abs(low - high - (49.6 / 1000) * 202) < 0.5, `${low} − ${high}`);
    assert.match(duration, /256 MB: average 800\.0 ms \(95% CI 775\.2–824\.8 ms\)/);
    assert.doesNotMatch(html, /<polyline|<polygon|<script/i);
  });

  void it('states how sure the choice is and names the sizes it could not tell apart', () => {
    assert.match(
      html,
      /<p class="confidence" id="confidence"><span class="settled">Settled<\/span> \(95% confidence, tolerance 5%, adaptive sampling, stopped once settled\): With 95% confidence, 256 MB is not dearer/,
    );
    assert.match(
      html,
      /<p class="facts" id="equivalent">Statistically indistinguishable from 256 MB: 512 MB\.<\/p>/,
    );
    assert.match(
      html,
      /<p class="facts" id="invocations">Invocations: 37 spent \/ 40 grid \(num × sizes\)\.<\/p>/,
    );
    const rec = html.slice(html.indexOf('<section class="card recommendation"'), html.indexOf('</section>'));
    assert.ok(rec.includes('id="confidence"') && rec.includes('id="equivalent"'), 'both in the summary card');
  });

  void it('puts each interval under its figure in the table, with the standing', () => {
    const row = /<tr class="recommended" data-power="256">.*<\/tr>/.exec(html)?.[0] ?? '';
    assert.match(row, /800\.0<br><small>775\.2–824\.8<\/small>/);
    assert.match(row, /960\.0<br><small>900\.0–1100\*<\/small>/, 'an unbounded p90 interval is marked');
    assert.match(row, /<td class="standing">✓ chosen<\/td>/);
    assert.match(html, /<tr data-power="512">.*1<br><small>10% \(1\.8%–40%\)<\/small>/);
    assert.equal(html.match(/<tr[^>]*data-power=/g)?.length, 4);
  });

  void it('says so when a run is not settled', () => {
    const unsettled = renderReport({
      output: statisticalOutput({
        confidence: {
          level: 0.95,
          tolerance: 0,
          policy: 'fixed',
          settled: false,
          statement:
            'Not settled: 256 MB is the preferred size, but the measurements cannot yet confirm it at 95%.',
        },
      }),
    });
    assert.match(
      unsettled,
      /<span class="unsettled">Not settled<\/span> \(95% confidence, tolerance 0%, fixed sampling\): 256 MB is the preferred size/,
    );
  });

  void it('leaves the older runs’ report as it was: no error bars, no statement, no Standing', () => {
    const page = renderReport({ output: sampleOutput() });
    // The stylesheet is shared; what matters is the page itself.
    const old = page.slice(page.indexOf('</style>'));
    assert.doesNotMatch(old, /error-bar|id="confidence"|id="equivalent"|id="invocations"|Standing|<small>/);
    assert.match(old, /bar: p50 to p90\./);
  });

  void it('renders a result made by the analysis from simulated invocations', () => {
    const sim = simulatedOutput({ seed: 5 });
    const page = renderReport({ output: sim });
    assert.equal(errorBars(section(page, 'duration-chart')), sim.results.length);
    assert.equal(errorBars(section(page, 'cost-chart')), sim.results.length);
    assert.match(page, /id="confidence"/);
    assert.doesNotMatch(page, /NaN|undefined|Infinity/);
  });
});

void describe('chart scale', () => {
  void it('picks round steps that cover the maximum', () => {
    assert.equal(niceStep(1000), 200);
    assert.equal(niceStep(7), 2);
    assert.deepEqual(niceTicks(930), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(niceTicks(4e-6), [0, 1e-6, 2e-6, 3e-6, 4e-6]);
  });
});
