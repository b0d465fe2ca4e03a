/**
 * The worker's IAM policy must grant exactly the AWS actions the activities use: adding an SDK call
 * without updating iam/worker-policy.json (or leaving a stale grant there) fails here.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { callsInSource, callsInTree } from './aws-calls.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_MODULES = path.join(ROOT, 'node_modules');

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

const policy = JSON.parse(fs.readFileSync(path.join(ROOT, 'iam/worker-policy.json'), 'utf8')) as {
  Version: string;
  Statement: Statement[];
};

const granted = new Set(policy.Statement.flatMap((s) => s.Action));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('IAM policy coverage', () => {
  it('the scanner maps commands, waiters and paginators to IAM actions', () => {
    const source = [
      "import { InvokeCommand, waitUntilFunctionUpdatedV2, paginateListAliases } from '@aws-sdk/client-lambda';",
      "import { HeadObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';",
      'await lambda.send(new InvokeCommand({}));',
      'await s3.send(new HeadObjectCommand({}));',
      'await waitUntilFunctionUpdatedV2({ client }, {});',
      'for await (const page of paginateListAliases({ client }, {})) void page;',
    ].join('\n');
    assert.deepEqual(sorted(callsInSource(source, 'x.ts', NODE_MODULES).map((c) => c.action)), [
      'lambda:GetFunction',
      'lambda:InvokeFunction',
      'lambda:ListAliases',
      's3:GetObject',
    ]);
  });

  it('the scanner refuses a command it cannot attribute to an SDK client', () => {
    assert.throws(
      () => callsInSource('lambda.send(new MysteryCommand({}));', 'y.ts', NODE_MODULES),
      /y\.ts: MysteryCommand is used but not imported/,
    );
  });

  it('grants exactly the actions activities/ calls, waiters included', () => {
    const calls = callsInTree(ROOT, 'activities');
    const needed = new Set(calls.map((c) => c.action));
    // The scan must see the core of the tuning loop, or it is not looking at the right code.
    for (const action of ['lambda:InvokeFunction', 'lambda:PublishVersion', 'lambda:GetFunction']) {
      assert.ok(needed.has(action), `scan of activities/ did not find ${action}`);
    }
    const missing = sorted([...needed].filter((a) => !granted.has(a)));
    const extra = sorted([...granted].filter((a) => !needed.has(a)));
    const where = (action: string) =>
      calls
        .filter((c) => c.action === action)
        .map((c) => c.source)
        .join('; ');
    assert.deepEqual(
      missing,
      [],
      `iam/worker-policy.json lacks: ${missing.map((a) => `${a} (${where(a)})`).join(', ')}`,
    );
    assert.deepEqual(
      extra,
      [],
      `iam/worker-policy.json grants actions no activity uses: ${extra.join(', ')}`,
    );
  });

  it('has no wildcard actions or resources, and every statement is an Allow on placeholder ARNs', () => {
    assert.equal(policy.Version, '2012-10-17');
    for (const s of policy.Statement) {
      assert.equal(s.Effect, 'Allow', s.Sid);
      for (const action of s.Action) assert.match(action, /^(lambda|s3):[A-Za-z]+$/, `${s.Sid}: ${action}`);
      assert.ok(s.Resource.length > 0, `${s.Sid} has no resource`);
      for (const arn of s.Resource) {
        assert.notEqual(arn, '*', `${s.Sid} grants on every resource`);
        assert.match(
          arn,
          /^arn:aws:(lambda:\*:<ACCOUNT_ID>:function:<[A-Z_]+>(:\*)?|s3:::<PAYLOAD_BUCKET>\/.+)$/,
          `${s.Sid}: ${arn}`,
        );
      }
    }
  });

  it('cannot delete or invoke the unqualified target function', () => {
    for (const action of ['lambda:DeleteFunction', 'lambda:InvokeFunction']) {
      const onTarget = policy.Statement.filter((s) => s.Action.includes(action)).flatMap((s) =>
        s.Resource.filter((arn) => arn.includes('<FUNCTION_NAME>')),
      );
      assert.ok(onTarget.length > 0, `${action} is not granted on the target at all`);
      for (const arn of onTarget) assert.ok(arn.endsWith(':*'), `${action} on unqualified ${arn}`);
    }
  });
});
