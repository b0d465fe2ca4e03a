/**
 * Switching a function's architecture the way it is done on AWS, through the official SDK:
 * GetFunction's Code.Location is a presigned link serving the version's exact package (plain
 * fetch, no credentials), UpdateFunctionCode with those bytes and `Architectures` gives the same
 * CodeSha256 on the other architecture, versions keep the architecture and package they were
 * published with. Synthetic profiles can be faster on arm64 or fail there like an x86 binary.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  LogType,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type Architecture,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { noiseFreeDuration } from '../../emulator/invoke/cpu-model.js';
import { mulberry32 } from '../../emulator/invoke/prng.js';
import { newEnvironment, sampleInvocation } from '../../emulator/invoke/synthetic-executor.js';
import { syntheticProfileSchema } from '../../emulator/model/definitions.js';
import {
  decodeLog,
  FAST_WAITER,
  functionsFile,
  handlerDir,
  json,
  lambdaClient,
  payloadJson,
  reportOf,
  zip,
} from './helpers.js';

/** AWS's CodeSha256: the base64 SHA-256 of the package's bytes. */
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

const handlerZip = (tag: string): Uint8Array =>
  zip({ 'index.mjs': `export const handler = async () => ({ code: ${JSON.stringify(tag)} });` });

/** 200 ms of CPU at one vCPU, 20 % faster on arm64; small noise so means are close to the model. */
const FAST_ON_ARM = {
  cpuMs: 200,
  noise: { distribution: 'normal', size: 2 },
  architectures: { arm64: { speedFactor: 0.8 } },
};
/** A function with a native binary built for x86_64: it cannot start on arm64. */
const X86_ONLY = { cpuMs: 20, architectures: { arm64: { fails: 'exec format error' } } };

interface Download {
  status: number;
  bytes: Buffer;
  contentType: string | null;
  /** The Lambda API's error type, for answers of the emulator's guard. */
  errorType: string | null;
}

/** A plain HTTP GET, no credentials: what a presigned link must be enough for. */
async function download(location: string, init: RequestInit = {}): Promise<Download> {
  const response = await fetch(location, { ...init, signal: AbortSignal.timeout(10_000) });
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type'),
    errorType: response.headers.get('x-amzn-errortype'),
  };
}

/** One raw GET with the path exactly as given (fetch would normalise `..` away). */
function rawGet(port: number, path: string): Promise<{ status: number; errorType: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: '127.0.0.1', port, path, method: 'GET', timeout: 10_000, agent: false },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, errorType: res.headers['x-amzn-errortype'] }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

void describe('emulator architectures', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    const file = functionsFile([
      { name: 'file-synth', synthetic: { cpuMs: 10, coldStartMs: 5 } },
      {
        name: 'file-real',
        code: handlerDir("export const handler = async () => ({ code: 'from a folder' });"),
      },
      { name: 'switch', code: handlerDir("export const handler = async () => ({ code: 'original' });") },
      { name: 'fast-on-arm', synthetic: FAST_ON_ARM, memorySize: 1769 },
      { name: 'x86-only', synthetic: X86_ONLY },
      { name: 'no-code', synthetic: { cpuMs: 1 } },
    ]);
    emu = await startEmulator({
      port: 0,
      timeScale: 0,
      loadSamples: false,
      functionsFile: file,
      updateDelayMs: 30,
    });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    lambda?.destroy();
    await emu?.stop();
  });

  const config = (FunctionName: string, Qualifier?: string) =>
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName, Qualifier }));
  const location = async (FunctionName: string, Qualifier?: string): Promise<string> => {
    const got = await lambda.send(new GetFunctionCommand({ FunctionName, Qualifier }));
    assert.equal(got.Code?.RepositoryType, 'S3');
    assert.ok(got.Code?.Location, 'GetFunction gives a code location');
    return got.Code.Location;
  };
  const waitUpdated = (FunctionName: string) =>
    waitUntilFunctionUpdatedV2({ client: lambda, ...FAST_WAITER }, { FunctionName });
  const invoke = async (FunctionName: string, Qualifier?: string) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName, Qualifier, LogType: LogType.Tail }));
    const log = decodeLog(out);
    return { out, log, payload: payloadJson(out), report: reportOf(log) };
  };
  /** On AWS: download `version`'s own package and upload it again on `architecture`, publishing it. */
  const publishOn = async (FunctionName: string, version: string, architecture: Architecture) => {
    const got = await download(await location(FunctionName, version));
    assert.equal(got.status, 200);
    await waitUpdated(FunctionName);
    const published = await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName,
        ZipFile: got.bytes,
        Architectures: [architecture],
        Publish: true,
      }),
    );
    await waitUntilPublishedVersionActive(
      { client: lambda, ...FAST_WAITER },
      { FunctionName, Qualifier: published.Version },
    );
    await waitUpdated(FunctionName);
    return published;
  };

  void it('serves every kind of code byte for byte at GetFunction’s Location, and the same bytes give the same CodeSha256 again', async () => {
    const uploads: [string, Uint8Array][] = [
      ['up-zip-handler', handlerZip('uploaded')],
      ['up-zip-profile', zip({ 'emulator-profile.json': JSON.stringify({ cpuMs: 7 }) }, { deflate: true })],
      ['up-bare-profile', json({ cpuMs: 8, ioWaitMs: 1 })],
    ];
    for (const [FunctionName, ZipFile] of uploads) {
      const created = await lambda.send(
        new CreateFunctionCommand({
          FunctionName,
          Role: 'arn:aws:iam::123456789012:role/x',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile },
        }),
      );
      assert.equal(created.CodeSha256, sha256(ZipFile), `${FunctionName}: CodeSha256 of the uploaded bytes`);
      assert.equal(created.CodeSize, ZipFile.length);
      await waitUntilFunctionActiveV2({ client: lambda, ...FAST_WAITER }, { FunctionName });
    }

    for (const name of [...uploads.map(([n]) => n), 'file-synth', 'file-real']) {
      const before = await config(name);
      const answerBefore = (await invoke(name)).payload;
      const link = await location(name);
      assert.ok(link.startsWith(`${emu.url}/`), `${name}: served by the emulator itself: ${link}`);
      const got = await download(link);
      assert.equal(got.status, 200, `${name}: ${got.bytes.toString()}`);
      assert.equal(
        sha256(got.bytes),
        before.CodeSha256,
        `${name}: the bytes are the ones CodeSha256 describes`,
      );
      assert.equal(got.bytes.length, before.CodeSize, `${name}: CodeSize`);
      const uploaded = uploads.find(([n]) => n === name)?.[1];
      if (uploaded) assert.deepEqual(got.bytes, Buffer.from(uploaded), `${name}: exactly the upload`);

      await waitUpdated(name);
      const again = await lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: got.bytes }),
      );
      assert.equal(again.CodeSha256, before.CodeSha256, `${name}: re-uploaded, same CodeSha256`);
      assert.equal(again.CodeSize, before.CodeSize);
      await waitUpdated(name);
      assert.deepEqual((await invoke(name)).payload, answerBefore, `${name}: the same code runs`);
    }
    assert.equal((await download(await location('file-real'))).contentType, 'application/zip');
  });

  void it('publishes versions per architecture; each keeps its architecture and package, and the original comes back by CodeSha256', async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'switch' }));
    assert.deepEqual(v1.Architectures, ['x86_64']);
    const staleLatestLink = await location('switch');

    const v2 = await publishOn('switch', '1', 'arm64');
    assert.deepEqual(v2.Architectures, ['arm64']);
    assert.equal(v2.CodeSha256, v1.CodeSha256, 'the same package on arm64');
    assert.notEqual(v2.Version, v1.Version);
    assert.deepEqual((await config('switch')).Architectures, ['arm64']);
    // A real handler runs on either architecture.
    assert.deepEqual((await invoke('switch', v2.Version)).payload, { code: 'original' });

    // Someone deploys other code: versions keep theirs, and so does a link issued before.
    const other = handlerZip('other');
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'switch', ZipFile: other }));
    await waitUpdated('switch');
    assert.equal(sha256((await download(await location('switch'))).bytes), sha256(other));
    assert.equal(sha256((await download(staleLatestLink)).bytes), v1.CodeSha256, 'a link names one snapshot');
    for (const version of [v1, v2]) {
      const kept = await config('switch', version.Version);
      assert.deepEqual(kept.Architectures, version.Architectures, `version ${version.Version}`);
      assert.equal(kept.CodeSha256, v1.CodeSha256);
      const got = await download(await location('switch', version.Version));
      assert.equal(sha256(got.bytes), v1.CodeSha256, `version ${version.Version}'s own package`);
    }

    // Restore: the saved version's package on its own architecture.
    await waitUpdated('switch');
    const saved = await download(await location('switch', v1.Version));
    const restored = await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'switch',
        ZipFile: saved.bytes,
        Architectures: ['x86_64'],
      }),
    );
    assert.equal(restored.CodeSha256, v1.CodeSha256);
    assert.deepEqual(restored.Architectures, ['x86_64']);
    await waitUpdated('switch');
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'switch' }));
    assert.deepEqual(
      Versions?.map((v) => [v.Version, v.Architectures?.[0], v.CodeSha256]),
      [
        ['$LATEST', 'x86_64', v1.CodeSha256],
        [v1.Version, 'x86_64', v1.CodeSha256],
        [v2.Version, 'arm64', v1.CodeSha256],
      ],
    );
  });

  void it('refuses Architectures without code, as AWS does, and changes nothing', async () => {
    const before = await config('no-code');
    await assert.rejects(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'no-code', Architectures: ['arm64'] })),
      (err: unknown) => {
        assert.ok(err instanceof InvalidParameterValueException, String(err));
        assert.match(err.message, /^Please provide a source for function code\./);
        return true;
      },
    );
    const after = await config('no-code');
    assert.deepEqual(after.Architectures, ['x86_64']);
    assert.equal(after.RevisionId, before.RevisionId);
  });

  void it('refuses an altered link with S3’s 403, and a link is for GET only', async () => {
    const link = new URL(await location('file-synth'));
    const altered = (change: (u: URL) => void): string => {
      const copy = new URL(link);
      change(copy);
      return copy.toString();
    };
    const signature = link.searchParams.get('X-Amz-Signature') ?? '';
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    const cases: [string, string, RegExp][] = [
      ['signature', altered((u) => u.searchParams.set('X-Amz-Signature', flipped)), /SignatureDoesNotMatch/],
      ['expiry', altered((u) => u.searchParams.set('X-Amz-Expires', '604800')), /SignatureDoesNotMatch/],
      ['date', altered((u) => u.searchParams.set('X-Amz-Date', '20990101T000000Z')), /SignatureDoesNotMatch/],
      ['key', altered((u) => (u.pathname = `${u.pathname}0`)), /SignatureDoesNotMatch/],
      [
        'no signature',
        altered((u) => u.searchParams.delete('X-Amz-Signature')),
        /<Code>AccessDenied<\/Code>/,
      ],
    ];
    for (const [what, url, code] of cases) {
      const got = await download(url);
      assert.equal(got.status, 403, what);
      assert.match(got.bytes.toString(), code, what);
      assert.equal(got.contentType, 'application/xml', what);
    }
    const put = await download(link.toString(), { method: 'PUT', body: 'x' });
    assert.equal(put.status, 403, 'the signature covers the method');
    assert.equal((await download(link.toString())).status, 200, 'the untouched link still works');
  });

  void it('multiplies durations on arm64 by the profile’s speed factor', async () => {
    const billed = async (qualifier: string): Promise<number[]> => {
      const values: number[] = [];
      for (let i = 0; i < 30; i++) values.push((await invoke('fast-on-arm', qualifier)).report.billed);
      return values;
    };
    const x86 = await lambda.send(new PublishVersionCommand({ FunctionName: 'fast-on-arm' }));
    const arm = await publishOn('fast-on-arm', x86.Version ?? '', 'arm64');
    const onX86 = mean(await billed(x86.Version ?? ''));
    const onArm = mean(await billed(arm.Version ?? ''));
    // Model: 200 ms at one vCPU (1,769 MB) on x86_64, 0.8 × 200 = 160 ms on arm64; noise σ 2 ms,
    // billing rounds up (about +0.5 ms).
    assert.ok(Math.abs(onX86 - 200.5) < 3, `x86_64 mean billed ${onX86}`);
    assert.ok(Math.abs(onArm - 160.5) < 3, `arm64 mean billed ${onArm}`);
  });

  void it('fails every call on arm64 like an x86 binary on Graviton, and succeeds on x86_64', async () => {
    const x86 = await lambda.send(new PublishVersionCommand({ FunctionName: 'x86-only' }));
    const arm = await publishOn('x86-only', x86.Version ?? '', 'arm64');
    for (const qualifier of [arm.Version ?? '', '$LATEST', arm.Version ?? '']) {
      const { out, log, payload } = await invoke('x86-only', qualifier);
      assert.equal(out.StatusCode, 200);
      assert.equal(out.FunctionError, 'Unhandled', qualifier);
      const error = payload as { errorType: string; errorMessage: string };
      assert.equal(error.errorType, 'Runtime.InvalidEntrypoint');
      assert.match(
        error.errorMessage,
        /^RequestId: \S+ Error: fork\/exec \/var\/task\/bootstrap: exec format error$/,
      );
      assert.match(
        log,
        /Error: fork\/exec \/var\/task\/bootstrap: exec format error\nRuntime\.InvalidEntrypoint\n/,
      );
      assert.match(log, /^INIT_START /, 'the environment never starts, so every call is cold');
    }
    const onX86 = await invoke('x86-only', x86.Version);
    assert.equal(onX86.out.FunctionError, undefined);
    assert.deepEqual(onX86.payload, { ok: true, profile: 'x86-only', version: x86.Version });
    const stats = (await emu.admin.state()).functions.find((f) => f.name === 'x86-only');
    assert.equal(stats?.versions.find((v) => v.version === arm.Version)?.stats.errors, 2);

    // Back on x86_64 with the same bytes, $LATEST runs again.
    const saved = await download(await location('x86-only', x86.Version));
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'x86-only',
        ZipFile: saved.bytes,
        Architectures: ['x86_64'],
      }),
    );
    await waitUpdated('x86-only');
    assert.equal((await invoke('x86-only')).out.FunctionError, undefined);
    assert.equal((await config('x86-only')).CodeSha256, x86.CodeSha256);
  });

  void it('gives the same per-architecture numbers without HTTP (sampleInvocation, noiseFreeDuration)', () => {
    const fast = syntheticProfileSchema.parse(FAST_ON_ARM);
    assert.equal(noiseFreeDuration(fast, 1769), 200);
    assert.equal(noiseFreeDuration(fast, 1769, 'arm64'), 160);
    const x86Only = syntheticProfileSchema.parse(X86_ONLY);
    const environment = newEnvironment();
    const failed = sampleInvocation(x86Only, 128, mulberry32(1), environment, { architecture: 'arm64' });
    assert.deepEqual(failed.error, {
      type: 'Runtime.InvalidEntrypoint',
      message: 'Error: fork/exec /var/task/bootstrap: exec format error',
    });
    assert.equal(environment.warm, false);
    assert.equal(sampleInvocation(x86Only, 128, mulberry32(1), environment).error, undefined);
  });

  void it('refuses bad per-architecture fields, naming them, before creating anything', async () => {
    const cases: [unknown, RegExp][] = [
      [
        { arm64: { speedFactor: 0 } },
        /architectures\.arm64\.speedFactor: speedFactor must be from 0\.1 to 10/,
      ],
      [{ arm64: { speedFactor: 'fast' } }, /architectures\.arm64\.speedFactor: speedFactor must be a number/],
      [{ arm64: { fails: '' } }, /architectures\.arm64\.fails: fails must not be empty/],
      [{ arm: { speedFactor: 1 } }, /architectures: unknown "arm"; accepted: x86_64, arm64/],
      [{ arm64: { slower: 2 } }, /architectures\.arm64: unknown "slower"; accepted: speedFactor, fails/],
    ];
    for (const [architectures, message] of cases) {
      await assert.rejects(
        lambda.send(
          new CreateFunctionCommand({
            FunctionName: 'bad-profile',
            Role: 'arn:aws:iam::123456789012:role/x',
            Runtime: 'nodejs20.x',
            Handler: 'index.handler',
            Code: { ZipFile: json({ cpuMs: 1, architectures }) },
          }),
        ),
        (err: unknown) => {
          assert.ok(err instanceof InvalidParameterValueException, String(err));
          assert.match(err.message, message);
          return true;
        },
      );
    }
    const names = (await emu.admin.state()).functions.map((f) => f.name);
    assert.ok(!names.includes('bad-profile'), 'nothing was created');
    await assert.rejects(
      startEmulator({
        port: 0,
        loadSamples: false,
        functionsFile: functionsFile([
          { name: 'f', synthetic: { cpuMs: 1, architectures: { arm64: { speedFactor: 20 } } } },
        ]),
      }),
      /functions\.0\.synthetic\.architectures\.arm64\.speedFactor: speedFactor must be from 0\.1 to 10/,
    );
  });
});

void describe('emulator code links with a token, and expiry', () => {
  const TOKEN = 'architectures-test-token-0123456789';
  let guarded: RunningEmulator;
  let shortLived: RunningEmulator;

  before(async () => {
    const file = functionsFile([{ name: 'target', synthetic: { cpuMs: 5 } }]);
    const common = { port: 0, timeScale: 0, loadSamples: false, functionsFile: file };
    guarded = await startEmulator({ ...common, token: TOKEN });
    shortLived = await startEmulator({ ...common, codeLocationTtlSeconds: 1 });
  });
  after(async () => {
    await guarded?.stop();
    await shortLived?.stop();
  });

  const locationOf = async (emu: RunningEmulator, token = 'x'): Promise<string> => {
    const client = lambdaClient(emu.url, 1, token);
    try {
      const got = await client.send(new GetFunctionCommand({ FunctionName: 'target' }));
      return got.Code?.Location ?? '';
    } finally {
      client.destroy();
    }
  };

  void it('needs no credentials for the link itself, while everything else still needs the token', async () => {
    const link = await locationOf(guarded, TOKEN);
    const got = await download(link);
    assert.equal(got.status, 200, got.bytes.toString());
    assert.deepEqual(JSON.parse(got.bytes.toString()), syntheticProfileSchema.parse({ cpuMs: 5 }));

    const put = await download(link, { method: 'PUT', body: 'x' });
    assert.equal(put.status, 403);
    assert.equal(put.errorType, 'UnrecognizedClientException', 'only GET skips the token');
    const fromPage = await download(link, { headers: { Origin: 'https://evil.example' } });
    assert.equal(fromPage.status, 403);
    assert.equal(fromPage.errorType, 'AccessDeniedException', 'web pages are still refused');
    const path = new URL(link);
    for (const sneaky of [
      `/_code/../_emulator/state${path.search}`,
      `/_code/%2e%2e/_emulator/state${path.search}`,
      `/_code/../2015-03-31/functions${path.search}`,
    ]) {
      const answer = await rawGet(guarded.port, sneaky);
      assert.equal(answer.status, 403, sneaky);
      assert.equal(answer.errorType, 'UnrecognizedClientException', sneaky);
    }
    assert.equal((await rawGet(guarded.port, '/_emulator/state')).status, 403);
  });

  void it('answers a request target that is no URL (`//`) instead of crashing', async () => {
    const answer = await rawGet(shortLived.port, '//');
    assert.equal(answer.status, 404);
    assert.equal(answer.errorType, 'UnknownOperationException');
    assert.equal((await rawGet(guarded.port, '//')).status, 403, 'the token is still needed');
    assert.ok((await locationOf(shortLived)).includes('/_code/'), 'still serving');
  });

  void it('refuses an expired link with 403 Request has expired', async () => {
    const link = await locationOf(shortLived);
    // The link is valid for 1 s from its signing second; 2.2 s later it has expired.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const got = await download(link);
    assert.equal(got.status, 403);
    assert.match(got.bytes.toString(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  });
});
