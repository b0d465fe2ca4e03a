import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import {
  bareFunctionName,
  buildListQuery,
  defaultWorkflowId,
  startTuning,
  type TuningSnapshot,
} from '../../client/api.js';
import { effectiveEnv, webUiRunUrl } from '../../client/cli/connect.js';
import { normaliseOutput } from '../../client/cli/load-result.js';
import { plainProgressView, progressLine, sizeStatus } from '../../client/cli/progress-view.js';
import { UsageError } from '../../client/cli/exit.js';
import { shortReason } from '../../client/format/reason.js';
import { runDetailsMarkdown } from '../../client/format/run-details.js';
import { InputErrors } from '../../domain/errors.js';
import { validateInput } from '../../domain/validate.js';

void describe('workflow IDs and list queries', () => {
  void it('names runs powertune-<function>-<random>', () => {
    assert.equal(
      defaultWorkflowId('my-fn', () => 'abc123'),
      'powertune-my-fn-abc123',
    );
    assert.equal(
      defaultWorkflowId('a b/c', () => 'x'),
      'powertune-a-b-c-x',
    );
    assert.match(defaultWorkflowId('f'), /^powertune-f-[0-9a-f]{6}$/);
  });

  void it('filters by workflow type, function (name from an ARN) and status', () => {
    assert.equal(buildListQuery({}), 'WorkflowType = "powerTuning"');
    assert.equal(
      buildListQuery({
        functionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn-1:prod',
        status: 'running',
      }),
      'WorkflowType = "powerTuning" AND TuningFunction = "fn-1" AND ExecutionStatus = "Running"',
    );
    assert.equal(
      buildListQuery({ status: 'timed_out', query: 'TuningRecommendedMemory > 512' }),
      'WorkflowType = "powerTuning" AND ExecutionStatus = "TimedOut" AND (TuningRecommendedMemory > 512)',
    );
    assert.equal(
      buildListQuery({ functionName: 'we"ird' }),
      'WorkflowType = "powerTuning" AND TuningFunction = "we\\"ird"',
    );
    assert.throws(() => buildListQuery({ status: 'asleep' }), /unknown status "asleep"/);
    assert.equal(bareFunctionName('plain'), 'plain');
  });
});

void describe('connection helpers', () => {
  void it('lets global flags override the environment', () => {
    const env = effectiveEnv(
      { address: 'h:1', namespace: 'ns', taskQueue: 'q' },
      { TEMPORAL_ADDRESS: 'x:2', OTHER: 'y' },
    );
    assert.equal(env['TEMPORAL_ADDRESS'], 'h:1');
    assert.equal(env['TEMPORAL_NAMESPACE'], 'ns');
    assert.equal(env['TEMPORAL_TASK_QUEUE'], 'q');
    assert.equal(env['OTHER'], 'y');
  });

  void it('links to the Web UI when its address is known', () => {
    const local = { address: 'localhost:7233', namespace: 'default' };
    assert.equal(
      webUiRunUrl(local, 'wf-1', 'run-1'),
      'http://localhost:8233/namespaces/default/workflows/wf-1/run-1/history',
    );
    assert.equal(
      webUiRunUrl({ address: 'acme.a1b2c.tmprl.cloud:7233', namespace: 'acme.a1b2c' }, 'wf', undefined),
      'https://cloud.temporal.io/namespaces/acme.a1b2c/workflows/wf',
    );
    assert.equal(webUiRunUrl({ address: '10.0.0.5:7233', namespace: 'default' }, 'wf', 'r'), undefined);
    assert.equal(
      webUiRunUrl({ address: '10.0.0.5:7233', namespace: 'default' }, 'wf', 'r', 'http://ui:8080/'),
      'http://ui:8080/namespaces/default/workflows/wf/r/history',
    );
  });
});

void describe('result files', () => {
  void it('accepts the original tool’s output and fills in one row per stats entry', () => {
    const output = normaliseOutput(
      {
        power: 512,
        cost: 1e-6,
        duration: 100,
        stateMachine: { executionCost: 0.0006, lambdaCost: 1e-5, visualization: 'https://x/#a' },
        stats: [
          { value: 256, averagePrice: 1.2e-6, averageDuration: 210 },
          { value: 512, averagePrice: 1e-6, averageDuration: 100 },
        ],
      },
      'old.json',
    );
    assert.deepEqual(
      output.results.map((r) => [r.power, r.averageDuration, r.feasible]),
      [
        [256, 210, true],
        [512, 100, true],
      ],
    );
    assert.equal(output.strategy, 'cost');
    assert.equal(output.currency, 'USD');
  });

  void it('refuses JSON that is not a tuning result', () => {
    assert.throws(
      () => normaliseOutput({ hello: 1 }, 'x.json'),
      (err: unknown) => err instanceof UsageError && /x\.json is not a tuning result/.test(err.message),
    );
  });
});

void describe('plain progress', () => {
  const snapshot = (phase: 'setup' | 'invoking', done: number, elapsedMs: number): TuningSnapshot => ({
    workflowId: 'wf',
    runId: 'r',
    status: 'RUNNING',
    startTime: new Date(0),
    elapsedMs,
    taskQueue: 'q',
    progress: {
      phase,
      sizes: [
        { power: 128, done, total: 10, errors: 0 },
        { power: 256, done: 0, total: 10, errors: 0 },
      ],
    },
  });

  void it('summarises a snapshot on one line', () => {
    assert.equal(progressLine(snapshot('invoking', 4, 12_000)), '[0:12] invoking: 128 MB 4/10, 256 MB 0/10');
    assert.equal(
      sizeStatus({ done: 10, total: 10, errors: 2, averageDuration: 41.25 }),
      'avg 41.3 ms, 2 errors, done',
    );
  });

  void it('prints a line only when something other than the clock changed', () => {
    const lines: string[] = [];
    const view = plainProgressView({ write: (t: string | Uint8Array) => (lines.push(String(t)), true) });
    view.update(snapshot('setup', 0, 1000));
    view.update(snapshot('setup', 0, 2000));
    view.update(snapshot('invoking', 0, 3000));
    view.update(snapshot('invoking', 10, 9000));
    view.update(snapshot('invoking', 10, 10000));
    assert.deepEqual(lines, [
      '[0:01] setup: 128 MB 0/10, 256 MB 0/10\n',
      '[0:03] invoking: 128 MB 0/10, 256 MB 0/10\n',
      '[0:09] invoking: 128 MB 10/10, 256 MB 0/10\n',
    ]);
  });

  void it('says when no worker answers', () => {
    const s = {
      ...snapshot('setup', 0, 0),
      progress: undefined,
      progressError: 'no answer from a worker on task queue "q"',
    };
    assert.equal(progressLine(s), '[0:00] starting (no answer from a worker on task queue "q")');
  });
});

void describe('short texts', () => {
  void it('shortens an invocation error to its type and message', () => {
    const long =
      'Invocation error (running in series) - original error type: "Runtime.ExitError", original error message: ' +
      '"RequestId: 3d39-aa Error: Runtime exited with error: signal: killed", trace: []';
    assert.equal(shortReason(long), 'Runtime.ExitError: Runtime exited with error: signal: killed');
    assert.equal(shortReason('no invocation was made'), 'no invocation was made');
    assert.equal(shortReason('x'.repeat(200), 10), `${'x'.repeat(10)}…`);
  });

  void it('describes the run for the Web UI without the payload', () => {
    const md = runDetailsMarkdown(
      validateInput({
        lambdaARN: 'fn',
        num: 7,
        powerValues: [128, 256],
        payload: { secret: 'p4ss' },
        strategy: 'balanced',
      }),
    );
    assert.match(md, /^- \*\*Function:\*\* `fn`\n/);
    assert.match(md, /^- \*\*Memory sizes \(MB\):\*\* 128, 256$/m);
    assert.match(md, /^- \*\*Invocations per size:\*\* 7$/m);
    assert.match(md, /^- \*\*Strategy:\*\* balanced \(weight 0\.5\)$/m);
    assert.match(md, /^- \*\*Payload:\*\* inline JSON, 17 characters$/m);
    assert.doesNotMatch(md, /p4ss/);
    // One environment per size (the fixed grid): nothing said about environments.
    assert.doesNotMatch(md, /Environments per size/);
    const adaptive = runDetailsMarkdown(validateInput({ lambdaARN: 'fn', num: 7, confidence: 0.95 }));
    assert.match(adaptive, /^- \*\*Environments per size:\*\* 3 \(each size published 3 times/m);
  });
});

void describe('startTuning', () => {
  void it('refuses bad input with the workflow’s validator before anything starts', async () => {
    let started = 0;
    const client = {
      workflow: {
        start: () => {
          started++;
          return Promise.reject(new Error('must not be called'));
        },
      },
    } as unknown as Client;
    await assert.rejects(
      startTuning(client, { lambdaARN: 'fn', num: 2, strategy: 'fastest' as never }),
      (err: unknown) => err instanceof InputErrors && err.fields.join() === 'num,strategy',
    );
    assert.equal(started, 0);
  });

  void it('starts with the search attributes, summary and details, and retries without unknown attributes', async () => {
    const calls: Record<string, unknown>[] = [];
    const client = {
      workflow: {
        start: (_type: string, options: Record<string, unknown>) => {
          calls.push(options);
          if (calls.length === 1)
            return Promise.reject(new Error('search attribute TuningFunction is not defined'));
          return Promise.resolve({ workflowId: options['workflowId'], firstExecutionRunId: 'run-1' });
        },
      },
    } as unknown as Client;
    const started = await startTuning(client, {
      lambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:fn',
      num: 5,
    });
    assert.equal(started.searchAttributes, false);
    assert.equal(started.runId, 'run-1');
    assert.match(started.workflowId, /^powertune-fn-[0-9a-f]{6}$/);
    assert.equal(calls.length, 2);
    const first = calls[0] as { typedSearchAttributes: { key: { name: string }; value: unknown }[] };
    assert.deepEqual(
      first.typedSearchAttributes.map((a) => [a.key.name, a.value]),
      [
        ['TuningFunction', 'fn'],
        ['TuningStrategy', 'cost'],
        ['TuningPhase', 'validating'],
      ],
    );
    assert.equal(calls[1]?.['typedSearchAttributes'], undefined);
    assert.equal(calls[1]?.['taskQueue'], 'power-tuning');
    assert.match(String(calls[1]?.['staticSummary']), /Power tuning of fn: 6 memory sizes × 5 invocations/);
    assert.match(
      String(calls[1]?.['staticDetails']),
      /^- \*\*Memory sizes \(MB\):\*\* 128, 256, 512, 1024, 1536, 3008$/m,
    );
  });
});
