/**
 * Monthly money with the volume read from CloudWatch, end to end: `powertune run
 * --invocations-per-month cloudwatch` against the emulator's Lambda and moto's CloudWatch (the
 * worker, in this process, finds it through AWS_ENDPOINT_URL_CLOUDWATCH as a user would set it).
 * The function's Invocations are put there beforehand; the tuning's own must not count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { groupDigits } from '../../domain/describe.js';
import type { TuningOutput } from '../../domain/types.js';
import { startMoto, type MotoServer } from '../../infra/moto.js';
import { testTemporalAddress } from '../support/env.js';
import { putInvocations } from '../support/invocation-metrics.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';
import { cliEnv, powertune } from './support.js';

const FN = 'synthetic-cpu';
let moto: MotoServer;
let harness: Harness;
let env: NodeJS.ProcessEnv;

before(async () => {
  moto = await startMoto({ log: () => undefined });
  // Read by the worker's CloudWatch client; this file runs in a process of its own.
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH = moto.endpoint;
  const cloudwatch = new CloudWatchClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const now = Date.now();
  // 3 × 2000 inside a 7-day window; 50000 ten days ago, outside it.
  for (const [daysAgo, value] of [
    [0.5, 2000],
    [2.5, 2000],
    [5.5, 2000],
    [10, 50_000],
  ] as const) {
    await putInvocations(cloudwatch, FN, daysAgo, value, now);
  }
  cloudwatch.destroy();
  harness = await startHarness();
  env = cliEnv(await testTemporalAddress(), harness.namespace, harness.taskQueue);
});
after(async () => {
  await harness?.stop();
  await moto?.stop();
  delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
});

void describe('powertune run --invocations-per-month cloudwatch', () => {
  void it('prices each size per month at the volume CloudWatch recorded in the window', async () => {
    const id = `e2e-monthly-cloudwatch-${Math.random().toString(16).slice(2, 8)}`;
    const r = await powertune(
      [
        'run',
        FN,
        '-n',
        '5',
        '-p',
        '128,256,512',
        '--fixed',
        '--invocations-per-month',
        'cloudwatch',
        '--volume-window-days',
        '7',
        '--workflow-id',
        id,
      ],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const output = (await harness.client.workflow.getHandle(id).result()) as TuningOutput;
    const monthly = output.monthly;
    assert.ok(monthly, 'a monthly report');
    assert.equal(monthly.source, 'cloudwatch');
    assert.equal(monthly.windowDays, 7);
    assert.equal(monthly.invocationsInWindow, 6000);
    const perMonth = Math.round((6000 / 7) * (365.25 / 12));
    assert.equal(monthly.invocationsPerMonth, perMonth);
    assert.equal(monthly.currentPower, 128);
    for (const size of monthly.sizes) {
      const row = output.results.find((x) => x.power === size.power);
      assert.ok(row?.averagePrice, `${size.power} MB measured`);
      assert.ok(Math.abs(size.estimate - perMonth * row.averagePrice) < 1e-9, `${size.power} MB`);
    }
    assert.ok(monthly.saving, 'today’s 128 MB was measured');
    assert.match(
      monthly.statement,
      new RegExp(`^At ${groupDigits(perMonth)} invocations a month \\(CloudWatch, last 7 days\\)`),
    );
  });
});
