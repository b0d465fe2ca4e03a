/**
 * Everyday use of the CLI without a server: status words, the list's order and phases, readable
 * times, the demo's exports and flags, warnings on stderr, and results whose infeasible sizes
 * have no averages (null, or the placeholders older results carry).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { buildListQuery, LIST_STATUSES, newestFirst, type TuningSummary } from '../../client/api.js';
import { demoExports } from '../../client/cli/demo.js';
import { listEntry, renderTuningList } from '../../client/cli/list.js';
import { compareResults, renderComparison } from '../../client/format/compare.js';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { statusWord } from '../../client/format/status.js';
import { renderResultTable } from '../../client/format/table.js';
import { formatTimestamp } from '../../client/format/time.js';
import { renderReport } from '../../client/report/html.js';
import { DEFAULT_TASK_QUEUE } from '../../domain/search-attributes.js';
import type { TuningOutput } from '../../domain/types.js';
import { sampleOutput, stats } from './fixtures.js';
import { runCaptured } from './support.js';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-everyday-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const summary = (
  workflowId: string,
  status: WorkflowExecutionStatusName,
  startTime: string,
  extra: Partial<TuningSummary> = {},
): TuningSummary => ({
  workflowId,
  runId: `run-${workflowId}`,
  status,
  startTime: new Date(startTime),
  taskQueue: 'power-tuning',
  ...extra,
});

void describe('status words', () => {
  void it('spells every Temporal status one way, in lower case', () => {
    assert.equal(statusWord('CANCELLED'), 'cancelled');
    assert.equal(statusWord('TIMED_OUT'), 'timed-out');
    assert.equal(statusWord('CONTINUED_AS_NEW'), 'continued-as-new');
    assert.equal(statusWord('RUNNING'), 'running');
    assert.equal(statusWord('UNSPECIFIED'), 'unknown');
  });

  void it('list --status accepts those words (and Temporal’s own spellings) and names them when refused', () => {
    assert.deepEqual(LIST_STATUSES, [
      'running',
      'completed',
      'failed',
      'cancelled',
      'terminated',
      'timed-out',
    ]);
    for (const given of ['cancelled', 'Canceled', 'CANCELLED']) {
      assert.match(buildListQuery({ status: given }), /ExecutionStatus = "Canceled"$/, given);
    }
    assert.match(buildListQuery({ status: 'timed-out' }), /ExecutionStatus = "TimedOut"$/);
    assert.throws(
      () => buildListQuery({ status: 'stopped' }),
      /unknown status "stopped"; accepted: running, completed, failed, cancelled, terminated, timed-out/,
    );
  });
});

void describe('list', () => {
  void it('puts the latest started run first, whatever order visibility returned', () => {
    const rows = [
      summary('old-closed-late', 'COMPLETED', '2026-12-01T07:00:00Z', {
        closeTime: new Date('2026-12-01T09:00:00Z'),
      }),
      summary('newest', 'COMPLETED', '2026-12-01T08:30:00Z', { closeTime: new Date('2026-12-01T08:31:00Z') }),
      summary('middle', 'RUNNING', '2026-12-01T08:00:00Z'),
    ];
    assert.deepEqual(
      newestFirst(rows).map((r) => r.workflowId),
      ['newest', 'middle', 'old-closed-late'],
    );
    assert.deepEqual(
      rows.map((r) => r.workflowId),
      ['old-closed-late', 'newest', 'middle'],
      'the input is left as it was',
    );
  });

  void it('shows the status of a run that ended before a worker started it, not its initial phase', () => {
    const entry = (status: WorkflowExecutionStatusName, phase?: string) =>
      listEntry(summary('wf', status, '2026-12-01T07:13:11Z', phase === undefined ? {} : { phase }));
    assert.equal(entry('CANCELLED', 'validating').phase, 'cancelled');
    assert.equal(entry('TERMINATED', 'validating').phase, 'terminated');
    assert.equal(entry('CANCELLED').phase, 'cancelled', 'no phase attribute at all');
    assert.equal(entry('RUNNING', 'validating').phase, 'validating', 'a waiting run is still validating');
    assert.equal(entry('CANCELLED', 'invoking').phase, 'invoking', 'the phase it was cancelled in');
    assert.equal(entry('COMPLETED', 'done').phase, 'done');
    assert.equal(entry('RUNNING').phase, undefined);
  });

  void it('uses the same status word in the table and in --json, and a readable start time', () => {
    const entries = [
      listEntry(
        summary('wf-cancelled', 'CANCELLED', '2026-12-01T07:13:11.250Z', {
          closeTime: new Date('2026-12-01T07:14:16Z'),
          phase: 'validating',
          functionName: 'fn',
          strategy: 'cost',
        }),
      ),
      listEntry(
        summary('wf-timed', 'TIMED_OUT', '2026-12-01T06:00:00Z', {
          closeTime: new Date('2026-12-01T07:00:00Z'),
        }),
      ),
    ];
    const table = renderTuningList(entries, { timeZone: 'UTC' });
    const json = JSON.parse(JSON.stringify(entries)) as { workflowId: string; status: string }[];
    for (const row of json) {
      const line = table.split('\n').find((l) => l.includes(row.workflowId)) ?? '';
      assert.match(line, new RegExp(`│ ${row.status} +│`), `${row.workflowId}: ${row.status} in the table`);
    }
    assert.deepEqual(
      json.map((r) => r.status),
      ['cancelled', 'timed-out'],
    );
    const cancelled = table.split('\n').find((l) => l.includes('wf-cancelled')) ?? '';
    assert.match(
      cancelled,
      /│ cancelled +│ fn +│ cost +│ cancelled +│ - +│ 2026-12-01 07:13:11 UTC │ 1:04 +│/,
    );
  });
});

void describe('timestamps', () => {
  const at = new Date('2026-12-01T07:13:11.900Z');

  void it('prints date, time to the second and the zone, in the zone asked for', () => {
    assert.equal(formatTimestamp(at, 'UTC'), '2026-12-01 07:13:11 UTC');
    assert.equal(formatTimestamp(at, 'Asia/Tokyo'), '2026-12-01 16:13:11 GMT+9');
    assert.equal(
      formatTimestamp(new Date('2026-12-31T23:30:00Z'), 'Asia/Tokyo'),
      '2027-01-01 08:30:00 GMT+9',
    );
    assert.match(formatTimestamp(at), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/, 'the local zone by default');
  });

  void it('shows the report’s times that way instead of ISO strings', () => {
    const html = renderReport({
      output: sampleOutput(),
      startTime: at,
      closeTime: new Date('2026-12-01T07:20:00Z'),
      generatedAt: new Date('2026-12-01T08:00:00Z'),
      timeZone: 'UTC',
    });
    assert.match(html, /<b>Started:<\/b> 2026-12-01 07:13:11 UTC/);
    assert.match(html, /<b>Finished:<\/b> 2026-12-01 07:20:00 UTC/);
    assert.match(html, /Generated by powertune on 2026-12-01 08:00:00 UTC\./);
    assert.doesNotMatch(html, /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no ISO timestamp left');
  });
});

void describe('demo', () => {
  void it('prints one export per variable the CLI reads, with the default task queue', () => {
    const text = demoExports({
      address: '127.0.0.1:40001',
      namespace: 'default',
      taskQueue: DEFAULT_TASK_QUEUE,
      uiUrl: 'http://127.0.0.1:40002',
      emulatorUrl: 'http://127.0.0.1:40003',
      region: 'us-east-1',
    });
    const exports = text.split('\n').filter((l) => l.startsWith('export '));
    assert.deepEqual(exports, [
      'export TEMPORAL_ADDRESS=127.0.0.1:40001',
      'export TEMPORAL_NAMESPACE=default',
      'export TEMPORAL_TASK_QUEUE=power-tuning',
      'export TEMPORAL_UI_URL=http://127.0.0.1:40002',
      'export AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:40003',
      'export AWS_REGION=us-east-1',
    ]);
    // Everything else is a shell comment, so the block can be pasted as it is.
    for (const line of text.split('\n')) assert.ok(line === '' || /^(export |# )/.test(line), line);
  });

  void it('quotes a value the shell would split, and leaves out a Web UI it does not have', () => {
    const text = demoExports({
      address: "host with 'quote'",
      namespace: 'default',
      taskQueue: 'q',
      emulatorUrl: 'http://e',
      region: 'r',
    });
    assert.match(text, /^export TEMPORAL_ADDRESS='host with '\\''quote'\\'''$/m);
    assert.doesNotMatch(text, /TEMPORAL_UI_URL/);
  });

  void it('lists no connection flags in its help, and refuses them by name instead of ignoring them', async () => {
    const help = await runCaptured(['demo', '--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--address', '--namespace', '--task-queue', '--profile', '--ui-url']) {
      assert.doesNotMatch(help.stdout, new RegExp(flag), `${flag} is not in demo --help`);
    }
    assert.match(help.stdout, /--keep/);
    const before = await runCaptured(['--address', '127.0.0.1:7233', 'demo']);
    assert.equal(before.code, 2);
    assert.match(before.stderr, /error: --address: the demo starts its own Temporal server/);
    const after = await runCaptured(['demo', '--task-queue', 'mine', '--ui-url', 'http://ui']);
    assert.equal(after.code, 2);
    assert.match(after.stderr, /error: --task-queue, --ui-url: /);
    assert.doesNotMatch(after.stderr, /Starting a Temporal dev server/, 'nothing was started');
  });
});

void describe('result and compare from files', () => {
  /** Infeasible 128 MB as results written before null averages: a 0 ms duration and the request fee. */
  const olderOutput = (): TuningOutput =>
    sampleOutput({
      results: [
        stats(128, 0, 2e-7, { feasible: false, infeasibleReason: 'all 10 invocations failed', errors: 10 }),
        stats(256, 800, 2.1e-6),
        stats(512, 410, 2.15e-6),
      ],
    });

  void it('names what result takes: a workflow ID or a result file', async () => {
    const r = await runCaptured(['result', '--help']);
    assert.match(r.stdout, /Usage: powertune result \[options\] <id-or-file>/);
    assert.match(r.stdout, /workflow ID, or a result \.json file/);
  });

  void it('shows an infeasible size without averages, whether null or an older placeholder', async () => {
    for (const [name, output] of [
      ['null', sampleOutput()],
      ['older', olderOutput()],
    ] as const) {
      const file = path.join(dir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(output));
      const table = await runCaptured(['result', file]);
      assert.equal(table.code, 0, table.stderr);
      const line = table.stdout.split('\n').find((l) => /│\s+128 │/.test(l)) ?? '';
      assert.match(
        line,
        /│\s+-\s+│\s+-\s+│\s+-\s+│\s+-\s+│\s+-\s+│ infeasible: all 10 invocations failed/,
        name,
      );
      assert.match(table.stdout, /Recommended: 256 MB/, name);
      const csv = await runCaptured(['result', file, '--csv']);
      const row = csv.stdout.split('\n').find((l) => l.startsWith('128,')) ?? '';
      // memoryMB,recommended,feasible,invocations,errors,allowedErrors,coldStarts,averageDurationMs,p50Ms,p90Ms,p99Ms,stdDevMs,averageCost
      assert.match(row, /^128,false,false,10,10,0,1,,,,,,,/, name);
      const html = renderReport({ output });
      assert.match(
        html,
        /<tr class="infeasible" data-power="128"><td>128<\/td><td>10<\/td><td>10<\/td><td>1<\/td><td>-<\/td>/,
      );
    }
    // The cheapest size named in the reasons is a measured one, never the empty 128 MB.
    const reasons = explainRecommendation(olderOutput()).reasons.join(' ');
    assert.doesNotMatch(reasons, /cheapest size, 128 MB/);
    assert.match(renderResultTable(olderOutput()), /infeasible/);
  });

  void it('compares a size infeasible on one side without a change, and warns on stderr only', async () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    fs.writeFileSync(a, JSON.stringify(sampleOutput()));
    fs.writeFileSync(
      b,
      JSON.stringify(
        sampleOutput({
          functionName: 'other-function',
          results: [stats(128, 1500, 1.9e-6), stats(256, 700, 1.8e-6)],
        }),
      ),
    );
    const cmp = compareResults(
      JSON.parse(fs.readFileSync(a, 'utf8')) as TuningOutput,
      JSON.parse(fs.readFileSync(b, 'utf8')) as TuningOutput,
    );
    const s128 = cmp.sizes.find((s) => s.power === 128);
    assert.equal(s128?.before?.averagePrice, null);
    assert.equal(s128?.costChange, undefined);
    assert.equal(s128?.durationChange, undefined);
    assert.doesNotMatch(renderComparison(cmp), /Warning|different functions/i);

    const r = await runCaptured(['compare', a, b]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: The results are for different functions: my-function and other-function\.$/m,
    );
    assert.doesNotMatch(r.stdout, /warning/i);
    assert.match(r.stdout.split('\n').find((l) => /│\s+128 │/.test(l)) ?? '', /│\s+infeasible │/);
    const json = await runCaptured(['compare', a, b, '--json']);
    const parsed = JSON.parse(json.stdout) as { warnings: string[] };
    assert.equal(parsed.warnings.length, 1, 'the JSON keeps the warnings as data');
  });
});

describe('cleanup report', () => {
  it('keeps warnings out of the report on stdout (the command prints them to stderr)', async () => {
    const { renderCleanupReport } = await import('../../client/cli/cleanup.js');
    const text = renderCleanupReport({
      functionName: 'fn',
      dryRun: true,
      aliases: ['ptune-abc-128'],
      versions: ['3'],
      releasedLock: false,
      warnings: ['the run holding the lock could not be looked up'],
    });
    assert.match(text, /delete 1 alias: ptune-abc-128/);
    assert.doesNotMatch(text, /could not be looked up/);
  });
});
