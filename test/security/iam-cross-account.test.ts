/**
 * The policies for tuning in another account (iam/README.md, "Tuning functions in other accounts"):
 * the target role may make exactly the worker's calls on the function, and nothing of S3 (payloads
 * are read with the worker's own credentials); the trust policy admits one principal with its
 * external id; the worker may assume the named role only. moto checks the last two for real in
 * test/integration/cross-account.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Policy } from './iam-eval.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, 'iam', file), 'utf8'));

interface TrustStatement {
  Sid: string;
  Effect: string;
  Principal: { AWS: string };
  Action: string;
  Condition: { StringEquals: Record<string, string> };
}

describe('cross-account IAM policies', () => {
  it("gives the target role the worker's statements, all but those on S3", () => {
    const worker = read('worker-policy.json') as Policy;
    const target = read('target-role-policy.json') as Policy;
    const onS3 = (s: Policy['Statement'][number]) => s.Action.some((a) => a.startsWith('s3:'));
    assert.ok(worker.Statement.some(onS3), 'worker-policy.json has no S3 statement left to leave out');
    assert.equal(target.Version, worker.Version);
    assert.deepEqual(
      target.Statement,
      worker.Statement.filter((s) => !onS3(s)),
      'iam/target-role-policy.json must be iam/worker-policy.json without its S3 statements: copy them over',
    );
  });

  it('trusts one principal, for sts:AssumeRole only, with its external id', () => {
    const trust = read('target-role-trust-policy.json') as { Version: string; Statement: TrustStatement[] };
    assert.equal(trust.Version, '2012-10-17');
    assert.equal(trust.Statement.length, 1);
    const [statement] = trust.Statement as [TrustStatement];
    assert.equal(statement.Effect, 'Allow');
    assert.equal(statement.Action, 'sts:AssumeRole');
    assert.deepEqual(statement.Principal, { AWS: '<WORKER_PRINCIPAL_ARN>' });
    assert.deepEqual(statement.Condition, { StringEquals: { 'sts:ExternalId': '<EXTERNAL_ID>' } });
  });

  it('lets the worker assume the named role, nothing else', () => {
    const policy = read('worker-assume-role-policy.json') as Policy;
    assert.equal(policy.Version, '2012-10-17');
    assert.deepEqual(
      policy.Statement.map((s) => [s.Effect, s.Action, s.Resource]),
      [['Allow', ['sts:AssumeRole'], ['arn:aws:iam::<TARGET_ACCOUNT_ID>:role/<TARGET_ROLE_NAME>']]],
    );
  });
});
