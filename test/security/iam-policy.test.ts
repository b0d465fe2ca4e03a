/**
 * The worker's IAM policy must grant exactly the AWS actions the activities use: adding an SDK call
 * without updating iam/worker-policy.json (or leaving a stale grant there) fails here. Its resources
 * are checked the way AWS evaluates them (test/security/iam-eval.ts): every call a tuning makes is
 * allowed, every grant is used, and what IAM can refuse (invoking other aliases, deleting the
 * function, touching other functions or objects) is refused.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LOCK_ALIAS, aliasName } from '../../domain/naming.js';
import { callsInSource, callsInTree } from './aws-calls.js';
import {
  FUNCTION_ARN_ACTIONS,
  RESOURCELESS_ACTIONS,
  arnMatches,
  decide,
  fillPlaceholders,
  isLambdaCall,
  placeholders,
  resourceArn,
  type Account,
  type AwsCall,
  type Policy,
} from './iam-eval.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_MODULES = path.join(ROOT, 'node_modules');

const policy = JSON.parse(fs.readFileSync(path.join(ROOT, 'iam/worker-policy.json'), 'utf8')) as Policy;

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
      // A client loaded on first use.
      "const { GetMetricStatisticsCommand } = await import('@aws-sdk/client-cloudwatch');",
      'await cloudwatch.send(new GetMetricStatisticsCommand({}));',
    ].join('\n');
    assert.deepEqual(sorted(callsInSource(source, 'x.ts', NODE_MODULES).map((c) => c.action)), [
      'cloudwatch:GetMetricStatistics',
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
    for (const action of [
      'lambda:InvokeFunction',
      'lambda:PublishVersion',
      'lambda:UpdateFunctionConfiguration',
    ]) {
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
      // Actions IAM authorizes on no resource are granted on "*", and in a statement of their own.
      if (s.Action.some((a) => RESOURCELESS_ACTIONS.has(a))) {
        assert.ok(
          s.Action.every((a) => RESOURCELESS_ACTIONS.has(a)),
          `${s.Sid} mixes in other actions`,
        );
        assert.deepEqual(s.Resource, ['*'], s.Sid);
        continue;
      }
      for (const action of s.Action) assert.match(action, /^(lambda|s3):[A-Za-z]+$/, `${s.Sid}: ${action}`);
      assert.ok(s.Resource.length > 0, `${s.Sid} has no resource`);
      for (const arn of s.Resource) {
        assert.notEqual(arn, '*', `${s.Sid} grants on every resource`);
        assert.match(
          arn,
          /^arn:aws:(lambda:\*:<ACCOUNT_ID>:function:<[A-Z_]+>(:\*|:ptune-\*)?|s3:::<PAYLOAD_BUCKET>\/.+)$/,
          `${s.Sid}: ${arn}`,
        );
      }
    }
  });

  it('grants DeleteFunction and InvokeFunction on the target only with a qualifier', () => {
    for (const action of ['lambda:DeleteFunction', 'lambda:InvokeFunction']) {
      const onTarget = policy.Statement.filter((s) => s.Action.includes(action)).flatMap((s) =>
        s.Resource.filter((arn) => arn.includes('<FUNCTION_NAME>')),
      );
      assert.ok(onTarget.length > 0, `${action} is not granted on the target at all`);
      for (const arn of onTarget) assert.match(arn, /<FUNCTION_NAME>:.+$/, `${action} on unqualified ${arn}`);
    }
  });
});

/** The policy as a user attaches it, for one function in one account. */
const ACCOUNT: Account = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
const FN = 'my-fn';
const filled = fillPlaceholders(policy, {
  ACCOUNT_ID: ACCOUNT.account,
  FUNCTION_NAME: FN,
  PRE_PROCESSOR_NAME: 'pre-fn',
  POST_PROCESSOR_NAME: 'post-fn',
  PAYLOAD_BUCKET: 'payload-bucket',
  PAYLOAD_KEY_PREFIX: 'tuning/',
});

const RUN_ALIAS = aliasName('abcd1234', 512);
const COLD_ALIAS = aliasName('abcd1234', 512, 3);
/** A user's own alias, e.g. the one production traffic goes through. */
const USER_ALIAS = 'prod';

/**
 * Every AWS call one tuning makes (and `powertune cleanup`), with the names the code uses. Keep it
 * in step with activities/: the test below fails when the code uses an action missing here.
 */
const TUNING_CALLS: AwsCall[] = [
  // prepare: $LATEST, the processors (by name or qualified ARN), the payload object (HEAD and GET).
  { action: 'lambda:GetFunctionConfiguration', functionName: FN },
  { action: 'lambda:GetFunctionConfiguration', functionName: 'pre-fn' },
  { action: 'lambda:GetFunctionConfiguration', functionName: 'pre-fn', qualifier: '3' },
  { action: 'lambda:GetFunctionConfiguration', functionName: 'post-fn' },
  { action: 'lambda:GetFunctionConfiguration', functionName: 'post-fn', qualifier: 'live' },
  { action: 's3:GetObject', bucket: 'payload-bucket', key: 'tuning/events.json' },
  // prepare with invocationsPerMonth "cloudwatch": the function's Invocations metric.
  { action: 'cloudwatch:GetMetricStatistics' },
  // lock: the lock alias, a snapshot version it points at, read back by version number.
  { action: 'lambda:GetAlias', functionName: FN, alias: LOCK_ALIAS },
  { action: 'lambda:CreateAlias', functionName: FN, alias: LOCK_ALIAS },
  { action: 'lambda:UpdateAlias', functionName: FN, alias: LOCK_ALIAS },
  { action: 'lambda:ListVersionsByFunction', functionName: FN },
  { action: 'lambda:PublishVersion', functionName: FN },
  { action: 'lambda:GetFunctionConfiguration', functionName: FN, qualifier: '7' },
  // setup: waiting for $LATEST's update, memory change, the run's aliases, their state.
  { action: 'lambda:GetFunctionConfiguration', functionName: FN },
  { action: 'lambda:UpdateFunctionConfiguration', functionName: FN },
  { action: 'lambda:GetAlias', functionName: FN, alias: RUN_ALIAS },
  { action: 'lambda:CreateAlias', functionName: FN, alias: RUN_ALIAS },
  { action: 'lambda:UpdateAlias', functionName: FN, alias: COLD_ALIAS },
  { action: 'lambda:GetFunctionConfiguration', functionName: FN, qualifier: RUN_ALIAS },
  // invocations: through the run's aliases only; processors as given.
  { action: 'lambda:InvokeFunction', functionName: FN, qualifier: RUN_ALIAS },
  { action: 'lambda:InvokeFunction', functionName: FN, qualifier: COLD_ALIAS },
  { action: 'lambda:InvokeFunction', functionName: 'pre-fn' },
  { action: 'lambda:InvokeFunction', functionName: 'pre-fn', qualifier: '3' },
  { action: 'lambda:InvokeFunction', functionName: 'post-fn' },
  { action: 'lambda:InvokeFunction', functionName: 'post-fn', qualifier: 'live' },
  // autoOptimizeAlias (here "live"): created or moved on the function ARN like every alias.
  { action: 'lambda:GetAlias', functionName: FN, alias: 'live' },
  { action: 'lambda:UpdateAlias', functionName: FN, alias: 'live' },
  // cleanup: list, delete the run's aliases and the lock, delete the run's versions.
  { action: 'lambda:ListAliases', functionName: FN },
  { action: 'lambda:DeleteAlias', functionName: FN, alias: RUN_ALIAS },
  { action: 'lambda:DeleteAlias', functionName: FN, alias: LOCK_ALIAS },
  { action: 'lambda:DeleteFunction', functionName: FN, qualifier: '8' },
  // architectures: the saved version's package (an image's URI on $LATEST too), uploaded again.
  { action: 'lambda:GetFunction', functionName: FN, qualifier: '7' },
  { action: 'lambda:GetFunction', functionName: FN },
  { action: 'lambda:UpdateFunctionCode', functionName: FN },
  // fleets: the functions of the region, and the tags of each when the selection is by tags.
  { action: 'lambda:ListFunctions' },
  { action: 'lambda:ListTags', functionName: FN },
];

const label = (call: AwsCall) =>
  `${call.action} on ${resourceArn(call, ACCOUNT)}${isLambdaCall(call) && call.alias ? ` (alias ${call.alias})` : ''}`;

describe('IAM policy resources, as AWS evaluates them', () => {
  it('documents every placeholder it uses (the filled-in policy has none left)', () => {
    assert.deepEqual(placeholders(filled), []);
  });

  it('the resource model matches IAM wildcards as the Lambda guide describes', () => {
    const base = 'arn:aws:lambda:us-west-2:123456789012:function:myFunction';
    assert.ok(arnMatches(base, base));
    assert.ok(!arnMatches(base, `${base}:1`));
    assert.ok(arnMatches(`${base}:*`, `${base}:1`));
    assert.ok(!arnMatches(`${base}:*`, base));
    assert.ok(arnMatches(`${base}*`, base) && arnMatches(`${base}*`, `${base}:PROD`));
    assert.ok(
      arnMatches(
        'arn:aws:lambda:*:123456789012:function:f',
        'arn:aws:lambda:eu-west-1:123456789012:function:f',
      ),
    );
    assert.ok(
      !arnMatches(
        'arn:aws:lambda:*:123456789012:function:f',
        'arn:aws:lambda:eu-west-1:999999999999:function:f',
      ),
    );
  });

  it('allows every call a tuning makes', () => {
    const denied = TUNING_CALLS.filter((call) => decide(filled, call, ACCOUNT) !== 'allow').map(label);
    assert.deepEqual(denied, [], `iam/worker-policy.json would refuse:\n${denied.join('\n')}`);
  });

  it('models every action the code uses', () => {
    const modelled = new Set(TUNING_CALLS.map((c) => c.action));
    const missing = sorted(callsInTree(ROOT, 'activities').map((c) => c.action)).filter(
      (a) => !modelled.has(a),
    );
    assert.deepEqual(missing, [], 'add the calls with these actions to TUNING_CALLS');
  });

  it('grants nothing a tuning does not use: each action on each resource matches one of its calls', () => {
    const unused: string[] = [];
    for (const s of filled.Statement) {
      for (const action of s.Action) {
        for (const resource of s.Resource) {
          const used = TUNING_CALLS.some(
            (c) => c.action === action && arnMatches(resource, resourceArn(c, ACCOUNT)),
          );
          if (!used) unused.push(`${s.Sid}: ${action} on ${resource}`);
        }
      }
    }
    assert.deepEqual(
      unused,
      [],
      `never used as AWS evaluates the calls (a qualified ARN on an action authorized on the function ARN never matches):\n${unused.join('\n')}`,
    );
  });

  it("invokes the target only through the tuner's own aliases: not a user's alias, a version or $LATEST", () => {
    for (const qualifier of [USER_ALIAS, '7', '$LATEST', undefined]) {
      const call: AwsCall = { action: 'lambda:InvokeFunction', functionName: FN, qualifier };
      assert.equal(decide(filled, call, ACCOUNT), 'implicit-deny', label(call));
    }
  });

  it('cannot delete the function itself', () => {
    const call: AwsCall = { action: 'lambda:DeleteFunction', functionName: FN };
    assert.equal(decide(filled, call, ACCOUNT), 'implicit-deny', label(call));
  });

  it('touches no other function (not even one whose name starts with the same letters) and no other object', () => {
    for (const other of ['other-fn', `${FN}-staging`, `${FN}2`]) {
      for (const call of TUNING_CALLS) {
        if (!isLambdaCall(call) || call.functionName !== FN) continue;
        const elsewhere: AwsCall = { ...call, functionName: other };
        assert.equal(decide(filled, elsewhere, ACCOUNT), 'implicit-deny', label(elsewhere));
      }
    }
    for (const [bucket, key] of [
      ['payload-bucket', 'secrets/db.json'],
      ['payload-bucket', 'tuning'],
      ['other-bucket', 'tuning/events.json'],
    ] as const) {
      const call: AwsCall = { action: 's3:GetObject', bucket, key };
      assert.equal(decide(filled, call, ACCOUNT), 'implicit-deny', label(call));
    }
  });

  it("cannot tell a user's alias from the tuner's for alias actions: AWS checks them on the function ARN", () => {
    // Same action, same ARN, and Lambda has no condition key for the alias name: no IAM policy can
    // allow UpdateAlias/DeleteAlias on ptune-* and the lock but refuse them on "prod". Which
    // aliases are touched is decided by the code (domain/naming.ts), as iam/README.md explains.
    for (const action of FUNCTION_ARN_ACTIONS) {
      if (!action.includes('Alias') || action === 'lambda:ListAliases') continue;
      const arns = [RUN_ALIAS, LOCK_ALIAS, USER_ALIAS].map((alias) =>
        resourceArn({ action, functionName: FN, alias }, ACCOUNT),
      );
      assert.deepEqual(new Set(arns).size, 1, action);
      assert.equal(arns[0], `arn:aws:lambda:${ACCOUNT.region}:${ACCOUNT.account}:function:${FN}`);
    }
    // So the alias statement names the unqualified function ARN only; an alias ARN pattern such as
    // `:ptune-*` there would never match and would refuse every alias call of the tuning.
    for (const s of policy.Statement.filter((st) => st.Action.some((a) => a.includes('Alias')))) {
      for (const resource of s.Resource)
        assert.match(resource, /:function:<FUNCTION_NAME>$/, `${s.Sid}: ${resource}`);
    }
  });
});
