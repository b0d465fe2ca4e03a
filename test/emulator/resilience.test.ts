/**
 * What the tuner can trip over, through the official SDK: the account concurrency limit (429),
 * injected faults (throttles, 5xx, dropped connections, per function or for all, changed while
 * running) and bad input, which must get AWS-style errors and never crash or hang the emulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetFunctionCommand,
  InvalidRequestContentException,
  InvokeCommand,
  LambdaServiceException,
  RequestTooLargeException,
  ServiceException,
  TooManyRequestsException,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { functionsFile, lambdaClient } from './helpers.js';

void describe('emulator concurrency limit', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  before(async () => {
    const file = functionsFile([{ name: 'slow', synthetic: { cpuMs: 0, ioWaitMs: 400 } }]);
    // Real time, so that calls stay in flight for 400 ms.
    emu = await startEmulator({
      port: 0,
      timeScale: 1,
      loadSamples: false,
      functionsFile: file,
      concurrencyLimit: 2,
    });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it('throttles calls past the account limit with TooManyRequestsException and Retry-After', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => lambda.send(new InvokeCommand({ FunctionName: 'slow' }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const throttled = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    assert.equal(ok.length, 2);
    assert.equal(throttled.length, 2);
    for (const err of throttled) {
      assert.ok(err instanceof TooManyRequestsException);
      assert.equal(err.$metadata.httpStatusCode, 429);
      assert.equal(err.Reason, 'ConcurrentInvocationLimitExceeded');
      assert.equal(err.retryAfterSeconds, '1');
    }
    // Once the calls finished, capacity is back.
    const after = await lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
    assert.equal(after.StatusCode, 200);
    assert.equal((await emu.admin.state()).inFlight, 0);
  });
});

void describe('emulator fault injection and bad input', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  before(async () => {
    const file = functionsFile([
      { name: 'target', synthetic: { cpuMs: 1 } },
      { name: 'bystander', synthetic: { cpuMs: 1 } },
    ]);
    emu = await startEmulator({ port: 0, timeScale: 0, loadSamples: false, functionsFile: file });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  void it('throttles one function on demand and leaves the others alone', async () => {
    await emu.admin.setFaults({ functionName: 'target', throttleRate: 1 });
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'target' })), (err: unknown) => {
      assert.ok(err instanceof TooManyRequestsException);
      assert.equal(err.retryAfterSeconds, '1');
      return true;
    });
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'bystander' }))).StatusCode, 200);
    await emu.admin.clearFaults('target');
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'target' }))).StatusCode, 200);
  });

  void it('answers 5xx ServiceException when asked to, for all functions', async () => {
    await emu.admin.setFaults({ errorRate: 1 });
    for (const FunctionName of ['target', 'bystander']) {
      await assert.rejects(lambda.send(new InvokeCommand({ FunctionName })), (err: unknown) => {
        assert.ok(err instanceof ServiceException);
        assert.equal(err.$metadata.httpStatusCode, 500);
        return true;
      });
    }
    await emu.admin.clearFaults();
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'target' }))).StatusCode, 200);
  });

  void it('limits faults to the control plane or to Invoke', async () => {
    await emu.admin.setFaults({ errorRate: 1, operations: 'control' });
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'target' })), ServiceException);
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'target' }))).StatusCode, 200);
    await emu.admin.clearFaults();
  });

  void it('drops connections without an answer, and the SDK retries through a partial drop rate', async () => {
    await emu.admin.setFaults({ functionName: 'target', dropRate: 1 });
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'target' })), (err: unknown) => {
      assert.ok(!(err instanceof LambdaServiceException), 'no HTTP answer at all');
      return true;
    });
    await emu.admin.setFaults({ functionName: 'target', dropRate: 0.3 });
    const retrying = lambdaClient(emu.url, 10);
    for (let i = 0; i < 5; i++)
      assert.equal((await retrying.send(new InvokeCommand({ FunctionName: 'target' }))).StatusCode, 200);
    retrying.destroy();
    await emu.admin.clearFaults();
    const faults = await emu.admin.clearFaults();
    assert.deepEqual(faults, { global: {}, functions: {} });
  });

  void it('rejects a malformed JSON payload with InvalidRequestContentException', async () => {
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'target', Payload: Buffer.from('{"a":') })),
      (err: unknown) => {
        assert.ok(err instanceof InvalidRequestContentException);
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.match(err.message, /Could not parse request body into json/);
        return true;
      },
    );
  });

  void it('rejects a payload over 6 MB with RequestTooLargeException', async () => {
    const big = Buffer.from(JSON.stringify({ blob: 'x'.repeat(6 * 1024 * 1024) }));
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'target', Payload: big })),
      (err: unknown) => {
        assert.ok(err instanceof RequestTooLargeException);
        assert.equal(err.$metadata.httpStatusCode, 413);
        return true;
      },
    );
  });

  void it('rejects malformed names and qualifiers with validation errors, and stays up', async () => {
    for (const input of [
      { FunctionName: 'bad name!' },
      { FunctionName: 'target', Qualifier: 'no/slash' },
      { FunctionName: 'target:one', Qualifier: 'two' },
    ]) {
      await assert.rejects(lambda.send(new InvokeCommand(input)), (err: unknown) => {
        assert.ok(err instanceof LambdaServiceException, String(err));
        assert.equal(err.$metadata.httpStatusCode, 400, JSON.stringify(input));
        return true;
      });
    }
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'target' }))).StatusCode, 200);
  });

  void it('refuses bad fault settings naming the field', async () => {
    await assert.rejects(emu.admin.setFaults({ throttleRate: 2 }), /throttleRate must be a number in 0\.\.1/);
  });
});
