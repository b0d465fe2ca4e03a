/**
 * Runs made with coldStartRate: the terminal table, the CSV and the HTML report show each size's
 * cold invocations and the blended figures the strategy compared, with one legend; a result
 * without coldStartRate (even one carrying cold figures) reads as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blendLegend, COLD_HEADERS } from '../../client/format/cold.js';
import { COLD_CSV_COLUMNS, CSV_COLUMNS, resultCsv } from '../../client/format/csv.js';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { renderResultSummary, renderResultTable } from '../../client/format/table.js';
import { renderReport } from '../../client/report/html.js';
import type { PowerValueStats, TuningOutput } from '../../domain/types.js';
import { coldOutput, statisticalOutput } from './fixtures.js';
import { parseCsv } from './support.js';

/** The table's rows as header → cell, keyed by memory size (the ★ dropped). */
function tableCells(table: string): { head: string[]; rows: Map<number, Record<string, string>> } {
  const split = (line: string) =>
    line
      .split('│')
      .slice(1, -1)
      .map((c) => c.trim());
  const lines = table.split('\n').filter((l) => l.startsWith('│'));
  const head = split(lines[0] ?? '');
  const rows = new Map(
    lines.slice(1).map((l) => {
      const cells = split(l);
      const row = Object.fromEntries(head.map((h, i) => [h, cells[i] ?? '']));
      return [Number((row['Memory (MB)'] ?? '').replace('★ ', '')), row];
    }),
  );
  return { head, rows };
}

/** coldOutput without its rate: the cold figures are there, but nothing was blended. */
const unblended = () => coldOutput({ coldStartRate: undefined });

/** The same output without any cold or blended figure. */
function withoutCold(output: TuningOutput): TuningOutput {
  return { ...output, results: output.results.map(({ cold: _c, blended: _b, ...r }): PowerValueStats => r) };
}

const LEGEND =
  'Blended at a cold-start rate of 10%: 90% warm + 10% cold invocations (5 cold starts measured per size, each on a fresh version); ' +
  'the strategy compared these blended figures, and so do Rel. cost and Rel. speed. ' +
  'Cold figures include the Init Duration; the other averages are of warm invocations.';

void describe('terminal table with a cold-start rate', () => {
  void it('adds the cold and blended columns after the warm figures, before Rel. cost', () => {
    const { head } = tableCells(renderResultTable(coldOutput()));
    assert.deepEqual(head, [
      'Memory (MB)',
      'Invocations',
      'Avg duration (ms)',
      'p90 (ms)',
      'Avg cost / invocation',
      ...COLD_HEADERS,
      'Rel. cost',
      'Rel. speed',
      'Standing',
      'Notes',
    ]);
  });

  void it('shows each size’s cold figures and the blend, and compares the blended figures', () => {
    const { rows } = tableCells(renderResultTable(coldOutput()));
    assert.deepEqual(
      Object.fromEntries(
        [
          'Cold (ms)',
          'Init (ms)',
          'Cold cost',
          'Blended (ms)',
          'Blended cost',
          'Rel. cost',
          'Rel. speed',
        ].map((h) => [h, rows.get(256)?.[h]]),
      ),
      {
        'Cold (ms)': '2400',
        'Init (ms)': '900.0',
        'Cold cost': '$0.0000102',
        // 0.9 × 800 + 0.1 × 2400; 0.9 × $0.0000021 + 0.1 × $0.0000102.
        'Blended (ms)': '960.0',
        'Blended cost': '$0.00000291',
        // Against 512 MB's blend ($0.000002872, 479 ms); warm, 256 MB would be 0.98× the cost.
        'Rel. cost': '1.01×',
        'Rel. speed': '0.50×',
      },
    );
    const chosen = rows.get(512);
    assert.equal(chosen?.['Memory (MB)'], '★ 512');
    assert.equal(chosen?.['Blended (ms)'], '479.0');
    assert.equal(chosen?.['Blended cost'], '$0.00000287');
    assert.equal(chosen?.['Rel. cost'], '1.00×');
    assert.match(chosen?.['Notes'] ?? '', /1 of 5 cold failed/);
    assert.equal(rows.get(1024)?.['Rel. cost'], '1.61×');
    assert.equal(rows.get(1024)?.['Rel. speed'], '1.86×');
    // The infeasible size has no figure, cold or blended, but says its cold invocations failed.
    for (const h of COLD_HEADERS) assert.equal(rows.get(128)?.[h], '-', h);
    assert.match(rows.get(128)?.['Notes'] ?? '', /5 of 5 cold failed/);
  });

  void it('explains the blend in one line under the table, after the Rel. legend', () => {
    const lines = renderResultSummary(coldOutput()).split('\n');
    const at = lines.indexOf(LEGEND);
    assert.ok(at > 0, lines.join('\n'));
    assert.match(lines[at - 1] ?? '', /^Rel\. cost and Rel\. speed compare each size/);
    assert.equal(lines.filter((l) => l.startsWith('Blended at')).length, 1);
  });

  void it('gives the recommendation’s blended figures and reasons on the blend', () => {
    const text = explainRecommendation(coldOutput());
    assert.equal(
      text.headline,
      '512 MB: $0.00000215 per invocation, 410.0 ms on average (warm); blended with 10% cold starts: $0.00000287, 479.0 ms',
    );
    assert.match(text.reasons[0] ?? '', /, warm and cold invocations blended at a cold-start rate of 10%\.$/);
    assert.ok(text.reasons.includes('The fastest size, 1024 MB, is 1.86× as fast and costs 1.61× as much.'));
    // Warm, 256 MB is cheaper than the choice; blended it is not, so no "cheapest size" line.
    assert.ok(!text.reasons.some((r) => r.startsWith('The cheapest size')), text.reasons.join('\n'));
    assert.ok(
      explainRecommendation(unblended()).reasons.some((r) =>
        r.startsWith('The cheapest size, 256 MB, costs 0.98×'),
      ),
    );
  });

  void it('words the legend from the rate and the cold invocations measured', () => {
    const legend = (output: TuningOutput) => blendLegend(output) ?? '';
    assert.match(
      legend(coldOutput({ coldStartRate: 0.125 })),
      /^Blended at a cold-start rate of 12\.5%: 87\.5% warm \+ 12\.5% cold/,
    );
    const fewer = coldOutput();
    fewer.results = fewer.results.map((r) =>
      r.power === 1024 && r.cold ? { ...r, cold: { ...r.cold, invocations: 3 } } : r,
    );
    assert.match(legend(fewer), /\(3 to 5 cold starts measured per size, each on a fresh version\)/);
    const none = coldOutput();
    none.results = none.results.map(({ cold: _cold, ...r }): PowerValueStats => r);
    assert.match(legend(none), /\(no cold start could be measured\)/);
    // Without a recommendation there are no Rel. columns to speak of.
    assert.doesNotMatch(legend(coldOutput({ power: null, cost: null, duration: null })), /Rel\./);
  });

  void it('leaves a result without coldStartRate as it was, even with cold figures in it', () => {
    for (const output of [unblended(), statisticalOutput()]) {
      const summary = renderResultSummary(output);
      assert.doesNotMatch(summary, /Blended|Cold \(ms\)|Init \(ms\)|Cold cost|cold failed|cold-start rate/);
    }
    assert.equal(renderResultSummary(unblended()), renderResultSummary(withoutCold(unblended())));
    // Rel. cost goes back to the warm figures: 256 MB is 0.98× the cost of 512 MB.
    assert.equal(tableCells(renderResultTable(unblended())).rows.get(256)?.['Rel. cost'], '0.98×');
  });
});

void describe('CSV with a cold-start rate', () => {
  const parsed = (output: TuningOutput) => {
    const [head = [], ...rows] = parseCsv(resultCsv(output));
    return {
      head,
      rows: new Map(rows.map((r) => [r[0], Object.fromEntries(head.map((c, i) => [c, r[i]]))])),
    };
  };

  void it('adds the cold and blended columns at the end, after every existing column', () => {
    const { head } = parsed(coldOutput());
    assert.deepEqual(head, [...CSV_COLUMNS, ...COLD_CSV_COLUMNS]);
  });

  void it('writes each size’s cold figures, the blend and the relative figures on the blend', () => {
    const { rows } = parsed(coldOutput());
    const s256 = rows.get('256') ?? {};
    assert.equal(s256['coldStartRate'], '0.1');
    assert.equal(s256['coldInvocations'], '5');
    assert.equal(s256['coldErrors'], '0');
    assert.equal(Number(s256['coldAverageDurationMs']), 2400);
    assert.equal(Number(s256['coldAverageInitDurationMs']), 900);
    assert.equal(Number(s256['coldAverageCost']), 1.02e-5);
    assert.ok(Math.abs(Number(s256['blendedAverageDurationMs']) - 960) < 1e-9);
    assert.ok(Math.abs(Number(s256['blendedAverageCost']) - 2.91e-6) < 1e-15);
    assert.ok(Math.abs(Number(s256['relativeCost']) - 2.91e-6 / 2.872e-6) < 1e-9);
    // The warm figures keep their columns.
    assert.equal(Number(s256['averageDurationMs']), 800);
    assert.equal(rows.get('512')?.['coldErrors'], '1');
    const s128 = rows.get('128') ?? {};
    assert.equal(s128['coldErrors'], '5');
    assert.equal(s128['coldAverageDurationMs'], '');
    assert.equal(s128['blendedAverageCost'], '');
  });

  void it('keeps the header of a result without coldStartRate, even with cold figures in it', () => {
    assert.deepEqual(parsed(unblended()).head, [...CSV_COLUMNS]);
    assert.equal(resultCsv(unblended()), resultCsv(withoutCold(unblended())));
  });
});

void describe('HTML report with a cold-start rate', () => {
  const html = renderReport({ output: coldOutput() });
  const chart = (page: string) => {
    const start = page.indexOf('<svg id="duration-chart"');
    assert.ok(start >= 0);
    return page.slice(start, page.indexOf('</svg>', start));
  };
  const headCells = (page: string) =>
    [...(/<thead><tr>(.*?)<\/tr><\/thead>/s.exec(page)?.[1] ?? '').matchAll(/<th[^>]*>(.*?)<\/th>/g)].map(
      (m) => (m[1] ?? '').replace(/<br>.*$/, ''),
    );
  const rowCells = (page: string, power: number) =>
    [
      ...(new RegExp(`<tr[^>]*data-power="${power}">(.*?)</tr>`).exec(page)?.[1] ?? '').matchAll(
        /<td[^>]*>(.*?)<\/td>/g,
      ),
    ].map((m) => m[1] ?? '');

  void it('has the cold and blended columns before Rel. cost, with each size’s figures', () => {
    const head = headCells(html);
    const at = head.indexOf('Rel. cost');
    assert.deepEqual(head.slice(at - COLD_HEADERS.length - 1, at + 2), [
      'Total cost',
      ...COLD_HEADERS,
      'Rel. cost',
      'Rel. speed',
    ]);
    const cells = (power: number) => Object.fromEntries(head.map((h, i) => [h, rowCells(html, power)[i]]));
    assert.deepEqual(
      [...COLD_HEADERS, 'Rel. cost', 'Rel. speed'].map((h) => cells(256)[h]),
      ['2400', '900.0', '$0.0000102', '960.0', '$0.00000291', '1.01×', '0.50×'],
    );
    for (const h of COLD_HEADERS) assert.equal(cells(128)[h], '-', h);
    assert.match(cells(512)['Notes'] ?? '', /★ recommended; 1 of 5 cold failed/);
  });

  void it('explains the blend under the table', () => {
    assert.ok(html.includes(` ${LEGEND} `), 'the legend under the table');
  });

  void it('draws each size’s cold duration as a diamond above its warm dot, with a key', () => {
    const svg = chart(html);
    const seconds = [
      ...svg.matchAll(/<g class="second-point" data-category="(\d+)" data-value="([\d.]+)">/g),
    ].map((m) => [m[1], Number(m[2])]);
    // 128 MB had no successful cold invocation: nothing to draw.
    assert.deepEqual(seconds, [
      ['256', 2400],
      ['512', 1100],
      ['1024', 600],
    ]);
    assert.match(svg, /<g class="second-key">.*cold invocation, init included<\/text><\/g>/);
    assert.match(
      svg,
      /<title>256 MB: cold invocation 2400 ms on average, init 900\.0 ms \(5 measured\)<\/title>/,
    );
    // The axis reaches the highest cold duration, and the diamond sits above the warm dot.
    assert.match(svg, />2500<\/text>/);
    const warmY = Number(/data-category="256">.*?<circle cx="[\d.]+" cy="([\d.]+)"/.exec(svg)?.[1]);
    const coldY = Number(
      /class="second-point" data-category="256".*?rotate\(45 [\d.]+ ([\d.]+)\)/.exec(svg)?.[1],
    );
    assert.ok(coldY < warmY, `cold ${coldY} above warm ${warmY}`);
    assert.match(html, /Diamond beside the dot: the cold invocations’ average duration, init included/);
  });

  void it('is unchanged without coldStartRate, even with cold figures in the results', () => {
    const page = renderReport({ output: unblended() });
    // The stylesheet names every class; the body has none of them.
    const body = page.slice(page.indexOf('</style>'));
    assert.doesNotMatch(body, /second-point|second-key|Diamond|Blended|Cold \(ms\)|cold failed/);
    assert.equal(page, renderReport({ output: withoutCold(unblended()) }));
  });
});
