/**
 * How a fleet reads: its rows (client/report/fleet-rows.ts) in the HTML report and the terminal,
 * the live progress lines, and `powertune fleet` refusing bad flags before it connects.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetProgressView, memberText, tallyText } from '../../client/cli/fleet-progress.js';
import { renderFleetSummary } from '../../client/cli/fleet-table.js';
import type { FleetSnapshot } from '../../client/fleet.js';
import { makeStyle } from '../../client/format/style.js';
import { renderFleetReport } from '../../client/report/fleet-html.js';
import { changeText, fleetRow, fleetRows, savingsText } from '../../client/report/fleet-rows.js';
import { countByStatus, savingTotals, tunedResult, unfinishedResult } from '../../domain/fleet-summary.js';
import type { FleetMember, FleetMemberProgress, FleetOutput } from '../../domain/fleet-types.js';
import { statisticalOutput } from './fixtures.js';
import { runCaptured } from './support.js';

function member(name: string, memorySize = 1024): FleetMember {
  return {
    functionName: name,
    functionArn: `arn:aws:lambda:us-east-1:111111111111:function:${name}`,
    region: 'us-east-1',
    accountId: '111111111111',
    memorySize,
  };
}

const MONTHLY = {
  invocationsPerMonth: 1_000_000,
  source: 'input' as const,
  level: 0.95,
  sizes: [],
  currentPower: 1024,
  saving: { estimate: 1.9, lower: 1.7, upper: 2.1 },
  statement: '',
};

/** A fleet of four: one tuned with a saving, one without volume, one locked, one failed. */
function sampleFleet(): FleetOutput {
  const functions = [
    tunedResult(
      member('orders-api'),
      { childWorkflowId: 'fleet-x--orders-api', childRunId: 'r1' },
      statisticalOutput({ currentPower: 1024, monthly: MONTHLY }),
    ),
    tunedResult(
      member('orders-<b>', 256),
      { childWorkflowId: 'fleet-x--orders-b', childRunId: 'r2' },
      statisticalOutput({ currentPower: 256 }),
    ),
    unfinishedResult(
      member('orders-locked'),
      { childWorkflowId: 'fleet-x--orders-locked', childRunId: 'r3' },
      {
        cancelled: false,
        reason:
          'Locking the function: Another power tuning is in progress on orders-locked (workflow w, run abcd1234).',
        errorType: 'ConcurrentTuning',
      },
    ),
    unfinishedResult(
      member('orders-broken'),
      { childWorkflowId: 'fleet-x--orders-broken' },
      {
        cancelled: false,
        reason: 'No memory size could be measured',
        errorType: 'NoFeasiblePower',
      },
    ),
  ];
  return {
    selection: 'prefix "orders-"',
    concurrency: 4,
    strategy: 'cost',
    functions,
    counts: countByStatus(functions),
    savings: savingTotals(functions),
  };
}

describe('fleet rows', () => {
  it("says today's size against the recommendation, per invocation and per month, and how sure", () => {
    const [tuned, keep, locked, failed] = fleetRows(sampleFleet());
    assert.equal(tuned?.current, '1024 MB');
    assert.equal(tuned?.recommended, '256 MB');
    assert.equal(tuned?.change, true);
    assert.equal(changeText(tuned!.cost), '$0.00000400 → $0.00000210 (-47.5%)');
    assert.equal(changeText(tuned!.duration), '220.0 ms → 800.0 ms (+263.6%)');
    assert.equal(tuned?.monthly, '$1.90 a month');
    assert.equal(tuned?.monthlyRange, '95%: $1.70 to $2.10');
    assert.equal(tuned?.confidence, 'settled (95%)');
    assert.match(tuned?.detail ?? '', /^With 95% confidence, 256 MB/);
    assert.equal(keep?.recommended, 'keep 256 MB');
    assert.equal(keep?.change, false);
    assert.equal(keep?.monthly, 'volume unknown');
    assert.equal(locked?.statusText, 'skipped: locked');
    assert.equal(locked?.recommended, '-');
    assert.match(locked?.detail ?? '', /Another power tuning is in progress/);
    assert.equal(failed?.statusText, 'failed');
    assert.equal(failed?.monthly, '-');
  });

  it('says when the recommendation costs more, and when there is none', () => {
    const dearer = tunedResult(
      member('fast'),
      { childWorkflowId: 'c' },
      statisticalOutput({
        currentPower: 1024,
        monthly: { ...MONTHLY, saving: { estimate: -3.2, lower: -3.5, upper: -2.9 } },
      }),
    );
    assert.equal(fleetRow(dearer).monthly, 'costs $3.20 a month more');
    assert.equal(fleetRow(dearer).monthlyRange, '95%: -$3.50 to -$2.90');
    const none = tunedResult(
      member('bounded'),
      { childWorkflowId: 'c' },
      statisticalOutput({ power: null, currentPower: 1024 }),
    );
    assert.equal(fleetRow(none).recommended, 'none');
    assert.equal(changeText(fleetRow(none).cost), '-');
  });

  it('adds up the known savings, saying how many functions they cover', () => {
    const fleet = sampleFleet();
    assert.equal(
      savingsText(fleet.savings[0]!, fleet.counts.tuned),
      '$1.90 a month over 1 of 2 tuned functions (sum of their interval bounds: $1.70 to $2.10)',
    );
  });
});

describe('fleet report', () => {
  const runUrl = (id: string, run?: string) =>
    `http://ui.test/namespaces/default/workflows/${encodeURIComponent(id)}${run ? `/${run}/history` : ''}`;

  it('has one row per function, each linked to its run, and escapes what it shows', () => {
    const html = renderFleetReport({
      output: sampleFleet(),
      workflowId: 'fleet-x',
      runUrl,
      generatedAt: new Date(0),
      timeZone: 'UTC',
    });
    const rows = html.match(/<tr class="(tuned|failed|locked|cancelled)[ "]/g) ?? [];
    assert.equal(rows.length, 4);
    assert.ok(
      html.includes('href="http://ui.test/namespaces/default/workflows/fleet-x--orders-api/r1/history"'),
    );
    assert.ok(
      html.includes('href="http://ui.test/namespaces/default/workflows/fleet-x"'),
      'the fleet itself is linked',
    );
    assert.ok(html.includes('orders-&lt;b&gt;') && !html.includes('orders-<b>'));
    assert.match(html, /Known saving: \$1\.90 a month over 1 of 2 tuned functions/);
    assert.match(html, /2 tuned, 1 skipped \(locked\), 1 failed/);
    // Why a function was not tuned is on a line of its own; a decision's statement is the confidence's tooltip.
    assert.match(
      html,
      /<tr class="reason locked"><td colspan="8">Locking the function: Another power tuning/,
    );
    assert.match(html, /<td class="confidence" title="With 95% confidence, 256 MB/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!ui\.test)[^"]*\.(js|css)/);
  });

  it('leaves links out without a Web UI address, and says so', () => {
    const html = renderFleetReport({ output: sampleFleet() });
    assert.doesNotMatch(html, /class="run-link"/);
    assert.match(html, /Run links need the Web UI address/);
  });
});

describe('fleet in the terminal', () => {
  it('prints a row per function, the totals and why some were not tuned', () => {
    const text = renderFleetSummary(sampleFleet(), makeStyle(false));
    for (const name of ['orders-api', 'orders-<b>', 'orders-locked', 'orders-broken'])
      assert.ok(text.includes(name), name);
    assert.match(text, /Known saving: \$1\.90 a month/);
    assert.match(text, /Not tuned:\n {2}- orders-locked \(skipped: locked\): Locking the function/);
    assert.match(text, /- orders-broken \(failed\): No memory size could be measured/);
  });

  it('writes a line when a function changes, and a tally when the counts do', () => {
    const lines: string[] = [];
    const view = fleetProgressView({ write: (t: string) => (lines.push(t.trimEnd()), true) }, false);
    const row = (
      name: string,
      state: FleetMemberProgress['state'],
      extra: Partial<FleetMemberProgress> = {},
    ) => ({
      functionName: name,
      functionArn: `arn:${name}`,
      group: '111111111111/us-east-1',
      state,
      childWorkflowId: `fleet-x--${name}`,
      currentPower: 1024,
      ...extra,
    });
    const snapshot = (
      functions: FleetMemberProgress[],
      phases: Record<string, string> = {},
    ): FleetSnapshot => ({
      workflowId: 'fleet-x',
      status: 'RUNNING',
      startTime: new Date(0),
      elapsedMs: 3000,
      progress: { phase: 'tuning', selection: 'prefix "orders-"', concurrency: 1, functions, run: 1 },
      phases: phases as FleetSnapshot['phases'],
    });
    view.update(snapshot([row('a', 'running'), row('b', 'pending')], { 'fleet-x--a': 'setup' }));
    view.update(snapshot([row('a', 'running'), row('b', 'pending')], { 'fleet-x--a': 'setup' }));
    view.update(snapshot([row('a', 'tuned', { recommendedPower: 512 }), row('b', 'running')]));
    assert.deepEqual(lines, [
      '[0:03] a: tuning (setup)',
      '[0:03] fleet tuning: 0 of 2 finished, 1 running',
      '[0:03] a: tuned: 1024 MB → 512 MB',
      '[0:03] b: tuning',
      '[0:03] fleet tuning: 1 of 2 finished (1 tuned), 1 running',
    ]);
    assert.equal(
      memberText(row('c', 'tuned', { recommendedPower: null }), undefined),
      'tuned: no size met the constraints (today 1024 MB)',
    );
    assert.equal(
      tallyText([row('a', 'locked'), row('b', 'failed')]),
      '2 of 2 finished (1 skipped, 1 failed), 0 running',
    );
  });
});

describe('powertune fleet', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-fleet-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses bad flags before connecting, naming each flag', async () => {
    const r = await runCaptured([
      'fleet',
      'run',
      '--prefix',
      'orders/',
      '--tag',
      'team=x',
      '-n',
      '3',
      '--concurrency',
      '0',
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--prefix, --functions or --tag: "prefix" and "tags" are both set/);
    assert.match(r.stderr, /--concurrency: 0 is out of range/);
    assert.match(r.stderr, /--num: 3 is out of range/);
    const none = await runCaptured(['fleet', 'run', '-n', '5']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--prefix, --functions or --tag: no function is selected/);
    const arn = await runCaptured(['fleet', 'run', '--prefix', 'a', '-n', '5', '--lambda-arn', 'x']);
    assert.equal(arn.code, 2);
    assert.match(
      arn.stderr,
      /--lambda-arn: a fleet selects its functions with --prefix, --functions or --tag/,
    );
    const tag = await runCaptured(['fleet', 'run', '--tag', 'team', '-n', '5']);
    assert.equal(tag.code, 2);
    assert.match(tag.stderr, /"team" is not key=value/);
  });

  it('writes the report of a fleet saved with --json, linking each run', async () => {
    const saved = path.join(dir, 'fleet.json');
    fs.writeFileSync(saved, JSON.stringify(sampleFleet()));
    const out = path.join(dir, 'report.html');
    const r = await runCaptured(['fleet', 'report', saved, '--out', out, '--ui-url', 'http://ui.test/'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), out);
    const html = fs.readFileSync(out, 'utf8');
    assert.ok(
      html.includes('href="http://ui.test/namespaces/default/workflows/fleet-x--orders-api/r1/history"'),
    );
    const bad = await runCaptured(['fleet', 'report', path.join(dir, 'nope.json')], { cwd: dir });
    assert.equal(bad.code, 2);
  });
});
