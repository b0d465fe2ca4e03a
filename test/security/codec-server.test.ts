/** The codec server over real HTTP on a free loopback port, in the JSON shape the Temporal UI sends. */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { AesGcmPayloadCodec } from '../../codec/aes-gcm-codec.js';
import { startCodecServer, type CodecServerOptions, type RunningCodecServer } from '../../codec/server.js';

const UI_ORIGIN = 'http://localhost:8233';
const TOKEN = 'test-token-0b7e';
const codec = new AesGcmPayloadCodec({ currentKeyId: 'k1', keys: new Map([['k1', crypto.randomBytes(32)]]) });

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

interface JsonPayloads {
  payloads: { metadata: Record<string, string>; data: string }[];
}

/** One raw request, so the Host header can be chosen (fetch does not let it be set). */
function rawPost(
  server: RunningCodecServer,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: 'POST', headers, timeout: 10_000, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The message a start-up is refused with; should it start anyway, it is closed at once. */
async function refusedStart(opts: CodecServerOptions & { port?: number; host?: string }): Promise<string> {
  let started: RunningCodecServer;
  try {
    started = await startCodecServer(opts);
  } catch (err) {
    return (err as Error).message;
  }
  await started.close();
  return assert.fail(`started on ${started.url}`);
}

describe('codec server', () => {
  let open: RunningCodecServer;
  let guarded: RunningCodecServer;
  before(async () => {
    open = await startCodecServer({ codec, port: 0, origins: [UI_ORIGIN], maxBodyBytes: 64 * 1024 });
    guarded = await startCodecServer({ codec, port: 0, origins: [UI_ORIGIN], authToken: TOKEN });
  });
  after(async () => {
    await Promise.all([open?.close(), guarded?.close()]);
  });

  const post = (
    server: RunningCodecServer,
    route: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('encodes and decodes payloads in the UI JSON format', async () => {
    const input: JsonPayloads = {
      payloads: [
        { metadata: { encoding: b64('json/plain') }, data: b64('{"note":"server-marker-91"}') },
        { metadata: { encoding: b64('binary/null') }, data: '' },
      ],
    };
    const encodedRes = await post(open, '/encode', input, { origin: UI_ORIGIN });
    assert.equal(encodedRes.status, 200);
    assert.equal(encodedRes.headers.get('access-control-allow-origin'), UI_ORIGIN);
    const encoded = (await encodedRes.json()) as JsonPayloads;
    assert.equal(encoded.payloads.length, 2);
    for (const p of encoded.payloads) {
      assert.equal(unb64(p.metadata['encoding']), 'binary/encrypted');
      assert.equal(unb64(p.metadata['encryption-key-id']), 'k1');
      assert.ok(!unb64(p.data).includes('server-marker-91'));
    }

    const decodedRes = await post(open, '/decode', encoded);
    assert.equal(decodedRes.status, 200);
    assert.deepEqual(await decodedRes.json(), input);
  });

  it('answers the CORS preflight for the UI origin and refuses other origins', async () => {
    const preflight = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-namespace, content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), UI_ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    for (const header of ['x-namespace', 'content-type', 'authorization'])
      assert.ok(allowed.includes(header), header);

    const stranger = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(stranger.status, 403);
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
  });

  it('requires the bearer token when one is configured, but not for preflights', async () => {
    const body = { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('1') }] };
    const missing = await post(guarded, '/encode', body);
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { error: string }).error, /Bearer/);
    const wrong = await post(guarded, '/encode', body, { authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const right = await post(guarded, '/encode', body, { authorization: `Bearer ${TOKEN}` });
    assert.equal(right.status, 200);
    await right.body?.cancel();
    const preflight = await fetch(`${guarded.url}/encode`, {
      method: 'OPTIONS',
      headers: { origin: UI_ORIGIN },
    });
    assert.equal(preflight.status, 204);
  });

  it('answers bad input with 4xx and a message, and keeps serving', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['/decode', '{not json', 400, /not valid JSON/],
      ['/decode', { nothing: true }, 400, /expected \{"payloads"/],
      ['/decode', { payloads: [42] }, 400, /payloads\[0\]: expected an object/],
      [
        '/decode',
        { payloads: [{ metadata: { encoding: '***' }, data: '' }] },
        400,
        /payloads\[0\]\.metadata\.encoding: expected a base64/,
      ],
      [
        '/decode',
        {
          payloads: [
            {
              metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k7') },
              data: b64('x'.repeat(40)),
            },
          ],
        },
        400,
        /key id 'k7'/,
      ],
      ['/decode', { payloads: [{ data: 'A'.repeat(100 * 1024) }] }, 413, /65536-byte limit/],
      ['/other', { payloads: [] }, 404, /POST \/encode or POST \/decode/],
    ];
    for (const [route, body, status, message] of cases) {
      const res = await post(open, route, body);
      assert.equal(res.status, status, `${route} ${JSON.stringify(body).slice(0, 80)}`);
      assert.match(((await res.json()) as { error: string }).error, message);
    }
    const get = await fetch(`${open.url}/decode`);
    assert.equal(get.status, 405);
    await get.body?.cancel();
    // Still alive after all that.
    const ok = await post(open, '/encode', { payloads: [] });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { payloads: [] });
  });

  it('refuses to listen beyond loopback, or to allow any origin, without a token', async () => {
    assert.match(await refusedStart({ codec, port: 0, host: '0.0.0.0' }), /without a token/);
    assert.match(await refusedStart({ codec, port: 0, host: '::' }), /without a token/);
    assert.match(await refusedStart({ codec, port: 0, origins: ['*'] }), /any origin/);
  });

  it('refuses to decode for a page of a foreign origin, and for browser-only body types', async () => {
    const secret = 'codec-secret-5d1';
    const encoded = (await (
      await post(open, '/encode', {
        payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(secret)) }],
      })
    ).json()) as JsonPayloads;
    const foreign = await post(open, '/decode', encoded, { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    assert.ok(!(await foreign.text()).includes(secret));

    const crossSite = await post(open, '/decode', encoded, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    assert.ok(!(await crossSite.text()).includes(secret));

    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const simple = await post(open, '/decode', encoded, { 'content-type': type });
      assert.equal(simple.status, 415, type);
      assert.ok(!(await simple.text()).includes(secret));
    }
  });

  it('refuses foreign Host names (DNS rebinding) and serves the loopback names', async () => {
    const body = JSON.stringify({ payloads: [] });
    const json = { 'content-type': 'application/json' };
    for (const host of [`evil.example:${open.port}`, 'evil.example', `127.0.0.1:${open.port + 1}`]) {
      const answer = await rawPost(open, '/encode', { ...json, host }, body);
      assert.equal(answer.status, 403, host);
      assert.match(answer.body, /is not served here/);
    }
    for (const host of [`127.0.0.1:${open.port}`, `localhost:${open.port}`, `[::1]:${open.port}`]) {
      const answer = await rawPost(open, '/encode', { ...json, host }, body);
      assert.equal(answer.status, 200, host);
    }
  });

  it('keeps serving the Web UI origin, with its CORS headers', async () => {
    const payloads = { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('7') }] };
    const encoded = await post(open, '/encode', payloads, { origin: UI_ORIGIN });
    assert.equal(encoded.status, 200);
    assert.equal(encoded.headers.get('access-control-allow-origin'), UI_ORIGIN);
    const decoded = await post(open, '/decode', await encoded.json(), {
      origin: UI_ORIGIN,
      'sec-fetch-site': 'same-site',
    });
    assert.equal(decoded.status, 200);
    assert.deepEqual(await decoded.json(), payloads);
  });
});
