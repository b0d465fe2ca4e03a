import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HIDDEN_PAYLOAD, renderReport } from '../../client/report/html.js';
import { niceStep, niceTicks } from '../../client/report/scale.js';
import { sampleOutput } from './fixtures.js';

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

void describe('chart scale', () => {
  void it('picks round steps that cover the maximum', () => {
    assert.equal(niceStep(1000), 200);
    assert.equal(niceStep(7), 2);
    assert.deepEqual(niceTicks(930), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(niceTicks(4e-6), [0, 1e-6, 2e-6, 3e-6, 4e-6]);
  });
});
