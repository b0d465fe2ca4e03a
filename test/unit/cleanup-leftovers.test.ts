/**
 * The cleanup's error handling, against an in-memory Lambda whose calls can be made to fail:
 * a failing step is retried with backoff, a step that keeps failing does not stop the others,
 * and the activity then fails listing exactly what it left (which `powertune cleanup` can finish).
 * Also which FunctionName the control plane sends for names and ARNs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { AwsClients } from '../../activities/aws/clients.js';
import { cleanupActivities } from '../../activities/cleanup.js';
import { CLEANUP_STEP_RETRY, type CleanupLeftovers } from '../../activities/cleanup-steps.js';
import { controlPlaneName } from '../../activities/aws/function-name.js';
import type { RetryOptions } from '../../activities/aws/retry.js';
import { strandedCleanupActivities } from '../../activities/stranded-cleanup.js';
import type { CleanupInput, CleanupResult, StrandedCleanupReport } from '../../activities/types.js';
import { LOCK_ALIAS, aliasName, lockDescription, versionDescription } from '../../domain/naming.js';

const NAME = 'fn';
const ARN = `arn:aws:lambda:us-east-1:111111111111:function:${NAME}`;
const TAG = 'a1b2c3d4';
const ORIGINAL = { memorySize: 256, description: 'the original' };

const awsError = (name: string, status: number, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

interface Version {
  memorySize: number;
  description: string;
}

/** Just enough of Lambda for the cleanups, keyed by the calls' names; `failing` injects errors. */
class FakeLambda {
  latest: Version = { memorySize: 512, description: versionDescription(TAG, 512, ORIGINAL.description) };
  versions = new Map<string, Version>();
  aliases = new Map<string, { version: string; description?: string }>();
  /** Every call, as `<operation> <Name or Qualifier>`. */
  calls: string[] = [];
  /** `<operation> <Name or Qualifier>` → how many more times it fails, and with what. */
  failing = new Map<string, { times: number; error: () => Error }>();
  /** The ARN the function's bare name resolves to (another account's function in one test). */
  arn = ARN;

  /** What a tuning ended after setting up 128 and 512 MB leaves (its cleanup then runs). */
  static afterTuning(): FakeLambda {
    const fake = new FakeLambda();
    fake.versions.set('1', { memorySize: 256, description: 'first deploy' });
    fake.versions.set('2', { ...ORIGINAL });
    fake.versions.set('3', {
      memorySize: 128,
      description: versionDescription(TAG, 128, ORIGINAL.description),
    });
    fake.versions.set('4', {
      memorySize: 512,
      description: versionDescription(TAG, 512, ORIGINAL.description),
    });
    fake.aliases.set('live', { version: '1' });
    fake.aliases.set(LOCK_ALIAS, {
      version: '2',
      description: lockDescription({ tag: TAG, workflowId: 'wf-1', versionsBefore: 1 }),
    });
    fake.aliases.set(aliasName(TAG, 128), { version: '3' });
    fake.aliases.set(aliasName(TAG, 512), { version: '4' });
    return fake;
  }

  failTimes(call: string, times: number, error: () => Error): void {
    this.failing.set(call, { times, error });
  }

  client(): LambdaClient {
    // A real client (the SDK's paginators insist), answering from memory instead of the network.
    const client = new LambdaClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    (client as unknown as { send: (command: object) => Promise<unknown> }).send = async (command) =>
      this.handle(command.constructor.name.replace(/Command$/, ''), (command as { input: Input }).input);
    return client;
  }

  aws(): AwsClients {
    const client = this.client();
    return {
      lambda: () => client,
      invoker: () => client,
      s3: () => {
        throw new Error('no S3 here');
      },
      defaultRegion: async () => 'us-east-1',
    };
  }

  state() {
    return {
      latest: this.latest,
      versions: [...this.versions.keys()].sort(),
      aliases: Object.fromEntries([...this.aliases].map(([name, a]) => [name, a.version])),
    };
  }

  private config(qualifier: string | undefined) {
    const alias = qualifier === undefined ? undefined : this.aliases.get(qualifier)?.version;
    const version = alias ?? qualifier;
    const v = version === undefined || version === '$LATEST' ? this.latest : this.versions.get(version);
    if (!v) throw awsError('ResourceNotFoundException', 404, `no version ${qualifier}`);
    return {
      FunctionName: NAME,
      FunctionArn: this.arn,
      Version: version ?? '$LATEST',
      MemorySize: v.memorySize,
      Description: v.description,
      State: 'Active',
      LastUpdateStatus: 'Successful',
    };
  }

  private handle(op: string, input: Input): unknown {
    const call = `${op} ${input.Name ?? input.Qualifier ?? ''}`.trim();
    this.calls.push(call);
    const failure = this.failing.get(call);
    if (failure && failure.times > 0) {
      failure.times--;
      throw failure.error();
    }
    // Like moto: only the bare name is understood, except by GetFunctionConfiguration.
    if (input.FunctionName !== NAME && !(op === 'GetFunctionConfiguration' && input.FunctionName === ARN))
      throw awsError('ResourceNotFoundException', 404, `Function not found: ${input.FunctionName}`);
    switch (op) {
      case 'GetFunctionConfiguration':
        return this.config(input.Qualifier);
      case 'GetFunction':
        return { Configuration: this.config(input.Qualifier) };
      case 'UpdateFunctionConfiguration':
        this.latest = {
          memorySize: input.MemorySize ?? this.latest.memorySize,
          description: input.Description ?? this.latest.description,
        };
        return this.config(undefined);
      case 'ListAliases':
        return {
          Aliases: [...this.aliases].map(([name, a]) => ({
            Name: name,
            FunctionVersion: a.version,
            Description: a.description,
          })),
        };
      case 'ListVersionsByFunction':
        return {
          Versions: [
            { Version: '$LATEST', Description: this.latest.description },
            ...[...this.versions].map(([version, v]) => ({ Version: version, Description: v.description })),
          ],
        };
      case 'GetAlias': {
        const alias = this.aliases.get(input.Name ?? '');
        if (!alias) throw awsError('ResourceNotFoundException', 404, `no alias ${input.Name}`);
        return { Name: input.Name, FunctionVersion: alias.version, Description: alias.description };
      }
      case 'UpdateAlias': {
        const alias = this.aliases.get(input.Name ?? '');
        if (!alias) throw awsError('ResourceNotFoundException', 404, `no alias ${input.Name}`);
        alias.version = input.FunctionVersion ?? alias.version;
        alias.description = input.Description ?? alias.description;
        return {};
      }
      case 'DeleteAlias':
        if (!this.aliases.delete(input.Name ?? ''))
          throw awsError('ResourceNotFoundException', 404, `no alias ${input.Name}`);
        return {};
      case 'DeleteFunction': {
        const version = input.Qualifier ?? '';
        const users = [...this.aliases].filter(([, a]) => a.version === version).map(([n]) => n);
        if (users.length > 0)
          throw awsError('ResourceConflictException', 409, `aliases reference version ${version}: ${users}`);
        if (!this.versions.delete(version))
          throw awsError('ResourceNotFoundException', 404, `no version ${version}`);
        return {};
      }
      default:
        throw new Error(`the fake Lambda has no ${op}`);
    }
  }
}

interface Input {
  FunctionName?: string;
  Name?: string;
  Qualifier?: string;
  FunctionVersion?: string;
  Description?: string;
  MemorySize?: number;
}

/** The cleanup's own retry rule, with waits of a millisecond and every retry written down. */
function fastRetry(retries: string[]): RetryOptions {
  return {
    ...CLEANUP_STEP_RETRY,
    baseMs: 1,
    capMs: 1,
    onRetry: (err, _wait, attempt) => retries.push(`${(err as Error).message} #${attempt}`),
  };
}

const quiet = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

const cleanupInput: CleanupInput = {
  target: { functionName: ARN, name: NAME, region: 'us-east-1', accountId: '111111111111' },
  tag: TAG,
  restore: ORIGINAL,
  snapshot: { version: '2', created: true },
};

/** The state the function was in before the tuning. */
const CLEAN = {
  latest: ORIGINAL,
  versions: ['1'],
  aliases: { live: '1' },
};

/** The activity's failure, with the leftovers it carries. */
async function cleanupFailure(
  run: Promise<unknown>,
): Promise<{ failure: ApplicationFailure; left: CleanupLeftovers }> {
  try {
    await run;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `not an ApplicationFailure: ${String(err)}`);
    assert.equal(err.type, 'CleanupIncomplete');
    const details = err.details?.[0] as { left: CleanupLeftovers };
    return { failure: err, left: details.left };
  }
  assert.fail('the cleanup did not fail');
}

describe('cleanup when Lambda calls fail', () => {
  it('retries a failing delete with backoff and then finishes cleanly', async () => {
    const fake = FakeLambda.afterTuning();
    const alias128 = aliasName(TAG, 128);
    fake.failTimes(`DeleteAlias ${alias128}`, 2, () => awsError('ResourceConflictException', 409, 'busy'));
    const retries: string[] = [];
    const { cleanupRun } = cleanupActivities(fake.aws(), { stepRetry: fastRetry(retries) });

    const result = await quiet().run(cleanupRun, cleanupInput);

    assert.deepEqual(retries, ['busy #1', 'busy #2']);
    assert.equal(fake.calls.filter((c) => c === `DeleteAlias ${alias128}`).length, 3);
    assert.deepEqual(result, {
      deletedAliases: [alias128, aliasName(TAG, 512)],
      deletedVersions: ['3', '4'],
      restored: true,
      releasedLock: true,
    });
    assert.deepEqual(fake.state(), CLEAN);
  });

  it('goes on past a delete that keeps failing, keeps the lock and lists exactly what is left', async () => {
    const fake = FakeLambda.afterTuning();
    const alias128 = aliasName(TAG, 128);
    fake.failTimes(`DeleteAlias ${alias128}`, 99, () =>
      awsError('ServiceException', 500, 'Lambda is unwell'),
    );
    const retries: string[] = [];
    const { cleanupRun } = cleanupActivities(fake.aws(), { stepRetry: fastRetry(retries) });

    const { failure, left } = await cleanupFailure(quiet().run(cleanupRun, cleanupInput));

    const attempts = CLEANUP_STEP_RETRY.attempts;
    assert.equal(fake.calls.filter((c) => c === `DeleteAlias ${alias128}`).length, attempts);
    // The other alias and its version went; version 3 cannot while its alias points at it.
    assert.deepEqual(left, {
      aliases: [alias128],
      versions: ['3'],
      lock: { version: '2' },
      snapshot: '2',
      unchecked: [],
    });
    assert.deepEqual(fake.state(), {
      latest: ORIGINAL, // put back all the same
      versions: ['1', '2', '3'],
      aliases: { live: '1', [LOCK_ALIAS]: '2', [alias128]: '3' },
    });
    assert.equal(failure.nonRetryable, false, 'a server error may pass: the activity may try again');
    assert.match(
      failure.message,
      /^Cleanup of arn:aws:lambda:us-east-1:111111111111:function:fn did not finish/,
    );
    assert.match(
      failure.message,
      new RegExp(`Left behind: aliases ${alias128}; versions 3; version 2 \\(the saved`),
    );
    assert.match(failure.message, /the lock alias power-tuning-lock \(pointing at 2\)/);
    assert.match(failure.message, /powertune cleanup arn:aws:lambda:us-east-1:111111111111:function:fn/);
    assert.match(
      failure.message,
      new RegExp(
        `DeleteAlias ${alias128}: ServiceException: Lambda is unwell \\(after ${attempts} attempts\\)`,
      ),
    );
    assert.match(failure.message, /DeleteFunction version 3: ResourceConflictException/);

    // `powertune cleanup` finishes it once Lambda works again (forced: this test has no Temporal
    // server to ask whether the run is over).
    fake.failing.clear();
    const { cleanupStrandedFunction } = strandedCleanupActivities(fake.aws(), { stepRetry: fastRetry([]) });
    const report: StrandedCleanupReport = await quiet().run(cleanupStrandedFunction, {
      target: cleanupInput.target,
      workflowId: 'cleanup-wf',
      tag: 'ffffffff',
      dryRun: false,
      force: true,
    });
    assert.deepEqual(report.aliases, [alias128]);
    assert.deepEqual(report.versions, ['2', '3']);
    assert.equal(report.releasedLock, true);
    assert.deepEqual(fake.state(), CLEAN);
  });

  it('does not retry a permission error, and the failure is then final', async () => {
    const fake = FakeLambda.afterTuning();
    fake.failTimes('DeleteFunction 4', 99, () => awsError('AccessDeniedException', 403, 'not allowed'));
    const retries: string[] = [];
    const { cleanupRun } = cleanupActivities(fake.aws(), { stepRetry: fastRetry(retries) });

    const { failure, left } = await cleanupFailure(quiet().run(cleanupRun, cleanupInput));

    assert.deepEqual(retries, []);
    assert.equal(fake.calls.filter((c) => c === 'DeleteFunction 4').length, 1);
    assert.deepEqual(left, {
      aliases: [],
      versions: ['4'],
      lock: { version: '2' },
      snapshot: '2',
      unchecked: [],
    });
    assert.equal(failure.nonRetryable, true);
    assert.doesNotMatch(failure.message, /after \d+ attempts/);
  });

  it('points the lock back at the snapshot when the snapshot cannot be deleted', async () => {
    const fake = FakeLambda.afterTuning();
    fake.failTimes('DeleteFunction 2', 99, () => awsError('ResourceConflictException', 409, 'in use'));
    const { cleanupRun } = cleanupActivities(fake.aws(), { stepRetry: fastRetry([]) });

    const { left } = await cleanupFailure(quiet().run(cleanupRun, cleanupInput));

    assert.deepEqual(left, {
      aliases: [],
      versions: [],
      lock: { version: '2' },
      snapshot: '2',
      unchecked: [],
    });
    assert.deepEqual(fake.state(), {
      latest: ORIGINAL,
      versions: ['1', '2'],
      aliases: { live: '1', [LOCK_ALIAS]: '2' },
    });
  });

  it('reports what it could not even look at when listing keeps failing', async () => {
    const fake = FakeLambda.afterTuning();
    fake.failTimes('ListAliases', 99, () => awsError('TooManyRequestsException', 429, 'slow down'));
    const { cleanupRun } = cleanupActivities(fake.aws(), { stepRetry: fastRetry([]) });

    const { failure, left } = await cleanupFailure(quiet().run(cleanupRun, cleanupInput));

    assert.deepEqual(left.unchecked, [`which aliases of this run (ptune-${TAG}-*) exist`]);
    assert.deepEqual(left.lock, { version: '2' });
    assert.match(failure.message, /unchecked: which aliases of this run/);
  });
});

describe('cleanup of a function that may have been deleted', () => {
  it('believes "not found" from a listing only when the function itself is gone', async () => {
    // An endpoint that does not understand the name (moto's ListAliases given an ARN) says the same.
    const fake = FakeLambda.afterTuning();
    fake.failTimes('ListAliases', 1, () => awsError('ResourceNotFoundException', 404, 'Function not found'));
    const { cleanupRun } = cleanupActivities(fake.aws(), { stepRetry: fastRetry([]) });
    const { left } = await cleanupFailure(quiet().run(cleanupRun, cleanupInput));
    assert.deepEqual(left.unchecked, [`which aliases of this run (ptune-${TAG}-*) exist`]);
    assert.deepEqual(left.lock, { version: '2' });
  });

  it('has nothing to do once the function is deleted', async () => {
    const fake = FakeLambda.afterTuning();
    for (const call of ['ListAliases', 'ListVersionsByFunction', 'GetFunctionConfiguration'])
      fake.failTimes(call, 99, () => awsError('ResourceNotFoundException', 404, 'Function not found'));
    const { cleanupRun } = cleanupActivities(fake.aws(), { stepRetry: fastRetry([]) });
    const result: CleanupResult = await quiet().run(cleanupRun, {
      ...cleanupInput,
      target: { functionName: NAME },
    });
    assert.equal(result.functionGone, true);
  });
});

describe('controlPlaneName', () => {
  const target = (functionName: string) => ({ functionName, name: NAME });

  it('keeps a bare name as it is, without asking', async () => {
    const fake = new FakeLambda();
    assert.equal(await controlPlaneName(fake.client(), target(NAME)), NAME);
    assert.deepEqual(fake.calls, []);
  });

  it("uses the canonical name when the name reaches the ARN's function", async () => {
    const fake = new FakeLambda();
    assert.equal(await controlPlaneName(fake.client(), target(ARN)), NAME);
    assert.equal(await controlPlaneName(fake.client(), target(`111111111111:function:${NAME}`)), NAME);
  });

  it('keeps the ARN when the name reaches another function (another account) or none', async () => {
    const other = new FakeLambda();
    other.arn = `arn:aws:lambda:us-east-1:222222222222:function:${NAME}`;
    assert.equal(await controlPlaneName(other.client(), target(ARN)), ARN);
    const none = new FakeLambda();
    none.failTimes('GetFunctionConfiguration', 1, () => awsError('ResourceNotFoundException', 404));
    assert.equal(await controlPlaneName(none.client(), target(ARN)), ARN);
  });

  it('passes other errors on', async () => {
    const fake = new FakeLambda();
    fake.failTimes('GetFunctionConfiguration', 1, () => awsError('ServiceException', 500, 'down'));
    await assert.rejects(controlPlaneName(fake.client(), target(ARN)), /down/);
  });
});
