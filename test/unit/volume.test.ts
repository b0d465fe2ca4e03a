/**
 * invocationsPerMonth "cloudwatch": the input rules, the conversion of a window's count to a
 * month, and the monthly report built on a volume read from CloudWatch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeTuning } from '../../domain/analysis.js';
import { InputErrors } from '../../domain/errors.js';
import { configToInput, validateInput } from '../../domain/validate.js';
import { measuredVolume, type MeasuredVolume } from '../../domain/volume.js';
import { steadySize } from '../support/summaries.js';

function errorsOf(input: Record<string, unknown>): string[] {
  try {
    validateInput({ lambdaARN: 'fn', num: 10, ...input });
  } catch (error) {
    assert.ok(error instanceof InputErrors, String(error));
    return error.message.split('\n').filter((line) => line.startsWith('Invalid input'));
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

describe('measuredVolume', () => {
  it('scales the window’s daily rate to an average month (365.25 / 12 days), rounded', () => {
    assert.deepEqual(measuredVolume(14_000, 14), {
      invocations: 14_000,
      windowDays: 14,
      perMonth: 30_438, // 1000 a day × 30.4375 days
      source: 'cloudwatch',
    });
    assert.equal(measuredVolume(1, 455).perMonth, 0); // 0.067 a month rounds to 0
    assert.equal(measuredVolume(3, 1).perMonth, 91); // 91.3125
    assert.equal(measuredVolume(0, 14).perMonth, 0);
  });
});

describe('invocationsPerMonth "cloudwatch" and volumeWindowDays', () => {
  it('defaults the window to 14 days, and keeps it through configToInput', () => {
    const config = validateInput({ lambdaARN: 'fn', num: 10, invocationsPerMonth: 'cloudwatch' });
    assert.equal(config.invocationsPerMonth, 'cloudwatch');
    assert.equal(config.volumeWindowDays, 14);
    const input = configToInput(config);
    assert.equal(input.volumeWindowDays, 14);
    assert.deepEqual(validateInput(input), config);
    const longer = validateInput({
      lambdaARN: 'fn',
      num: 10,
      invocationsPerMonth: 'cloudwatch',
      volumeWindowDays: 455,
    });
    assert.equal(longer.volumeWindowDays, 455);
  });

  it('leaves the numeric path as it was: no window in the config', () => {
    const config = validateInput({ lambdaARN: 'fn', num: 10, invocationsPerMonth: 5000 });
    assert.equal(config.invocationsPerMonth, 5000);
    assert.equal('volumeWindowDays' in config, false);
    // The CLI passes the flag's text.
    assert.equal(
      validateInput({ lambdaARN: 'fn', num: 10, invocationsPerMonth: '5000' }).invocationsPerMonth,
      5000,
    );
  });

  it('refuses another word, naming the accepted one', () => {
    const [line] = errorsOf({ invocationsPerMonth: 'CloudWatch' });
    assert.match(
      line ?? '',
      /^Invalid input "invocationsPerMonth": got the string "CloudWatch"; the only accepted word is "cloudwatch"/,
    );
    assert.match(line ?? '', /Accepted: an integer from 1 to 1000000000000; or "cloudwatch"/);
    assert.equal(errorsOf({ invocationsPerMonth: 0 }).length, 1);
    assert.equal(errorsOf({ invocationsPerMonth: 2.5 }).length, 1);
  });

  it('refuses a window out of range or not an integer', () => {
    for (const days of [0, 456, 7.5, '14', null]) {
      const lines = errorsOf({ invocationsPerMonth: 'cloudwatch', volumeWindowDays: days });
      assert.equal(lines.length, 1, String(days));
      assert.match(lines[0] ?? '', /^Invalid input "volumeWindowDays": .*Accepted: an integer from 1 to 455/);
    }
  });

  it('refuses a window without "cloudwatch", saying what is accepted', () => {
    for (const extra of [{}, { invocationsPerMonth: 1000 }]) {
      const lines = errorsOf({ ...extra, volumeWindowDays: 7 });
      assert.equal(lines.length, 1, JSON.stringify(extra));
      assert.match(lines[0] ?? '', /^Invalid input "volumeWindowDays": set with(out)? .*no volume is read/);
      assert.match(
        lines[0] ?? '',
        /Accepted: volumeWindowDays together with "invocationsPerMonth": "cloudwatch", or leave it out\.$/,
      );
    }
    // An invalid invocationsPerMonth is reported once, by itself.
    const lines = errorsOf({ invocationsPerMonth: 'cw', volumeWindowDays: 7 });
    assert.deepEqual(
      lines.map((l) => /"(\w+)"/.exec(l)?.[1]),
      ['invocationsPerMonth'],
    );
  });
});

function monthlyOf(
  volume: MeasuredVolume | undefined,
  invocationsPerMonth: number | 'cloudwatch' = 'cloudwatch',
) {
  return analyzeTuning({
    config: validateInput({ lambdaARN: 'fn', num: 10, powerValues: [512, 1024], invocationsPerMonth }),
    functionName: 'fn',
    region: 'us-east-1',
    architecture: 'x86_64',
    results: [steadySize(512, 200), steadySize(1024, 150)],
    currentPower: 1024,
    ...(volume ? { volume } : {}),
  }).monthly;
}

describe('monthly figures from CloudWatch', () => {
  it('uses the measured volume, says where it came from, and gives the same figures as that number given', () => {
    const volume = measuredVolume(560_000, 14);
    const monthly = monthlyOf(volume)!;
    assert.equal(monthly.source, 'cloudwatch');
    assert.equal(monthly.invocationsPerMonth, volume.perMonth);
    assert.equal(monthly.windowDays, 14);
    assert.equal(monthly.invocationsInWindow, 560_000);
    assert.match(
      monthly.statement,
      /^At 1,217,500 invocations a month \(CloudWatch, last 14 days\), 512 MB saves \$/,
    );
    const given = monthlyOf(undefined, volume.perMonth)!;
    assert.equal(given.source, 'input');
    assert.equal(given.windowDays, undefined);
    assert.deepEqual(monthly.sizes, given.sizes);
    assert.deepEqual(monthly.saving, given.saving);
  });

  it('with no invocation recorded: every figure 0, and the statement says so', () => {
    const monthly = monthlyOf(measuredVolume(0, 7))!;
    assert.equal(monthly.invocationsPerMonth, 0);
    assert.ok(monthly.sizes.every((s) => s.estimate === 0 && s.lower === 0 && s.upper === 0));
    assert.deepEqual(monthly.saving, { estimate: 0, lower: 0, upper: 0 });
    assert.equal(
      monthly.statement,
      'CloudWatch recorded no invocations of the function in the last 7 days, so every monthly figure is 0.',
    );
  });

  it('has no monthly figures when asked for CloudWatch but given no volume', () => {
    assert.equal(monthlyOf(undefined), undefined);
  });
});
