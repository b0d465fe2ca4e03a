/**
 * --role-arn and --external-id on `run` and `cleanup`: they reach the input, and bad values are
 * refused with exit 2, naming the flag or field, before any connection (TEMPORAL_ADDRESS points
 * at a closed port here, so a run that got further would fail differently).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { addInputOptions, inputFromOptions } from '../../client/cli/input-flags.js';
import type { CliIo } from '../../client/cli/io.js';
import { runCaptured } from './support.js';

const ROLE = 'arn:aws:iam::210987654321:role/powertune-target';

describe('role flags', () => {
  it('set roleArn and externalId of the input', async () => {
    const cmd = addInputOptions(new Command('run').argument('[function]').exitOverride());
    cmd.parse(['their-fn', '-n', '5', '--role-arn', ROLE, '--external-id', 'tuner-2024'], { from: 'user' });
    const io = { cwd: process.cwd(), env: {}, stdin: process.stdin } as unknown as CliIo;
    const { input } = await inputFromOptions(cmd.opts(), io, cmd.args[0]);
    assert.deepEqual(input, { lambdaARN: 'their-fn', num: 5, roleArn: ROLE, externalId: 'tuner-2024' });
  });

  it('run refuses a bad role or an external id alone, naming the flag', async () => {
    const bad = await runCaptured(['run', 'their-fn', '-n', '5', '--role-arn', 'powertune-target']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--role-arn: "powertune-target" is not an IAM role ARN/);
    const alone = await runCaptured(['run', 'their-fn', '-n', '5', '--external-id', 'tuner-2024']);
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /--external-id: set without "roleArn"/);
  });

  it('cleanup refuses them the same way before connecting', async () => {
    const alone = await runCaptured(['cleanup', 'their-fn', '--external-id', 'tuner-2024']);
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /"externalId": set without "roleArn"/);
    const other = await runCaptured([
      'cleanup',
      'arn:aws:lambda:us-east-1:210987654321:function:their-fn',
      '--role-arn',
      'arn:aws-cn:iam::210987654321:role/powertune-target',
    ]);
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /"roleArn": the role is in partition "aws-cn"/);
  });
});
