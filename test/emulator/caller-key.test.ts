/**
 * The emulator records which access key signed each call (the event log for the control plane, a
 * tally for Invoke), so tests can tell a worker's own credentials from a role's it assumed. It
 * still accepts any signed request, and answers unsigned ones as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { callerAccessKeyId, sigV4AccessKeyId } from '../../emulator/http/caller.js';
import { functionsFile, lambdaClient } from './helpers.js';

describe('emulator: who signed each call', () => {
  let emu: RunningEmulator;
  before(async () => {
    const file = functionsFile([{ name: 'keyed', synthetic: { cpuMs: 1 } }]);
    emu = await startEmulator({ port: 0, timeScale: 0, functionsFile: file, loadSamples: false });
  });
  after(async () => emu?.stop());

  it('records the access key of every control-plane call and counts invocations per key', async () => {
    await emu.admin.clearEvents();
    const own = lambdaClient(emu.url, 1, 'AKIAWORKEROWNKEY0001');
    const assumed = lambdaClient(emu.url, 1, 'ASIAASSUMEDROLEKEY01');
    await own.send(new GetFunctionConfigurationCommand({ FunctionName: 'keyed' }));
    await assumed.send(new PublishVersionCommand({ FunctionName: 'keyed' }));
    await assumed.send(new InvokeCommand({ FunctionName: 'keyed' }));
    await assumed.send(new InvokeCommand({ FunctionName: 'keyed', Qualifier: '1' }));
    await assumed.send(new InvokeCommand({ FunctionName: 'keyed' }));
    await own.send(new InvokeCommand({ FunctionName: 'keyed' }));
    // Unsigned (plain HTTP): still answered as before, and recorded without a key.
    const unsigned = await fetch(`${emu.url}/2015-03-31/functions/keyed/configuration`);
    assert.equal(unsigned.status, 200);
    await unsigned.arrayBuffer();

    const events = await emu.admin.events();
    assert.deepEqual(
      events.map((e) => [e.operation, e.status, e.accessKeyId]),
      [
        ['GetFunctionConfiguration', 200, 'AKIAWORKEROWNKEY0001'],
        ['PublishVersion', 201, 'ASIAASSUMEDROLEKEY01'],
        ['GetFunctionConfiguration', 200, undefined],
      ],
    );
    assert.equal('accessKeyId' in (events[2] ?? {}), false);
    assert.deepEqual(await emu.admin.invokes(), [
      { functionName: 'keyed', accessKeyId: 'ASIAASSUMEDROLEKEY01', invocations: 2 },
      { functionName: 'keyed', qualifier: '1', accessKeyId: 'ASIAASSUMEDROLEKEY01', invocations: 1 },
      { functionName: 'keyed', accessKeyId: 'AKIAWORKEROWNKEY0001', invocations: 1 },
    ]);
    await emu.admin.clearEvents();
    assert.deepEqual(await emu.admin.events(), []);
    assert.deepEqual(await emu.admin.invokes(), []);
  });

  it('reads the key from a SigV4 header or a presigned query, nothing else', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE123/20240101/us-east-1/lambda/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=abc';
    assert.equal(sigV4AccessKeyId(header), 'ASIAEXAMPLE123');
    assert.equal(sigV4AccessKeyId('Bearer some-token-value'), undefined);
    assert.equal(sigV4AccessKeyId(undefined), undefined);
    const presigned = new URLSearchParams({
      'X-Amz-Credential': 'AKIAPRESIGNED/20240101/us-east-1/lambda/aws4_request',
    });
    assert.equal(callerAccessKeyId({}, presigned), 'AKIAPRESIGNED');
    assert.equal(callerAccessKeyId({ authorization: header }, presigned), 'ASIAEXAMPLE123');
    assert.equal(callerAccessKeyId({}, new URLSearchParams()), undefined);
  });
});
