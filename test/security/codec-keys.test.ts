/** Loading the codec keyring and data converter from the environment, and the errors on bad keys. */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { AesGcmPayloadCodec } from '../../codec/aes-gcm-codec.js';
import { dataConverterFromEnv } from '../../codec/data-converter.js';
import { CodecKeyError, loadKeyringFromEnv } from '../../codec/keys.js';

const b64 = (bytes: number) => crypto.randomBytes(bytes).toString('base64');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-codec-keys-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function keyFile(content: unknown): string {
  const file = path.join(dir, `${crypto.randomUUID()}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Asserts a CodecKeyError whose message matches every pattern. */
function assertKeyError(env: NodeJS.ProcessEnv, ...patterns: RegExp[]): void {
  assert.throws(
    () => loadKeyringFromEnv(env),
    (err: unknown) => {
      assert.ok(err instanceof CodecKeyError, `expected CodecKeyError, got ${String(err)}`);
      for (const p of patterns) assert.match(err.message, p);
      return true;
    },
  );
}

describe('codec keys from the environment', () => {
  it('is off when nothing is set', () => {
    assert.equal(loadKeyringFromEnv({}), undefined);
    assert.equal(dataConverterFromEnv({ PT_CODEC_KEY: '  ' }), undefined);
  });

  it('reads a single key and its id', () => {
    const key = crypto.randomBytes(32);
    const ring = loadKeyringFromEnv({ PT_CODEC_KEY: key.toString('base64'), PT_CODEC_KEY_ID: 'k1' });
    assert.equal(ring?.currentKeyId, 'k1');
    assert.deepEqual(ring?.keys.get('k1'), key);
    const converter = dataConverterFromEnv({ PT_CODEC_KEY: key.toString('base64'), PT_CODEC_KEY_ID: 'k1' });
    assert.equal(converter?.payloadCodecs?.length, 1);
    assert.ok(converter?.payloadCodecs?.[0] instanceof AesGcmPayloadCodec);
  });

  it('reads a keyring file with a current key', () => {
    const k1 = crypto.randomBytes(32);
    const k2 = crypto.randomBytes(32);
    const file = keyFile({ current: 'k2', keys: { k1: k1.toString('base64'), k2: k2.toString('base64') } });
    const ring = loadKeyringFromEnv({ PT_CODEC_KEY_FILE: file });
    assert.equal(ring?.currentKeyId, 'k2');
    assert.deepEqual([...(ring?.keys.keys() ?? [])], ['k1', 'k2']);
    assert.deepEqual(ring?.keys.get('k1'), k1);
  });

  it('names PT_CODEC_KEY when the key is not 32 bytes or not base64', () => {
    assertKeyError(
      { PT_CODEC_KEY: b64(16), PT_CODEC_KEY_ID: 'k1' },
      /^PT_CODEC_KEY:/,
      /16 bytes/,
      /exactly 32/,
    );
    assertKeyError({ PT_CODEC_KEY: b64(33), PT_CODEC_KEY_ID: 'k1' }, /^PT_CODEC_KEY:/, /33 bytes/);
    assertKeyError({ PT_CODEC_KEY: 'not base64!', PT_CODEC_KEY_ID: 'k1' }, /^PT_CODEC_KEY:/, /base64/);
  });

  it('names PT_CODEC_KEY_ID when it is missing, alone or malformed', () => {
    assertKeyError({ PT_CODEC_KEY: b64(32) }, /^PT_CODEC_KEY_ID: required/);
    assertKeyError({ PT_CODEC_KEY_ID: 'k1' }, /^PT_CODEC_KEY_ID is set but PT_CODEC_KEY is not/);
    assertKeyError(
      { PT_CODEC_KEY: b64(32), PT_CODEC_KEY_ID: 'has space' },
      /^PT_CODEC_KEY_ID: key id 'has space'/,
    );
  });

  it('refuses ambiguous settings', () => {
    const file = keyFile({ current: 'k1', keys: { k1: b64(32) } });
    assertKeyError({ PT_CODEC_KEY: b64(32), PT_CODEC_KEY_ID: 'k1', PT_CODEC_KEY_FILE: file }, /both set/);
    assertKeyError({ PT_CODEC_KEY_ID: 'k1', PT_CODEC_KEY_FILE: file }, /^PT_CODEC_KEY_ID is ignored/);
  });

  it('names PT_CODEC_KEY_FILE and the entry at fault', () => {
    assertKeyError(
      { PT_CODEC_KEY_FILE: path.join(dir, 'absent.json') },
      /^PT_CODEC_KEY_FILE: cannot read/,
      /absent\.json/,
    );
    assertKeyError({ PT_CODEC_KEY_FILE: keyFile('{not json') }, /^PT_CODEC_KEY_FILE \(.*\): not valid JSON/);
    assertKeyError({ PT_CODEC_KEY_FILE: keyFile({ keys: {} }) }, /^PT_CODEC_KEY_FILE .*expected \{"current"/);
    assertKeyError(
      { PT_CODEC_KEY_FILE: keyFile({ current: 'k1', keys: { k1: b64(32), k2: b64(31) } }) },
      /^PT_CODEC_KEY_FILE \(.*\): keys\.k2: the key decodes to 31 bytes/,
    );
    assertKeyError(
      { PT_CODEC_KEY_FILE: keyFile({ current: 'k3', keys: { k1: b64(32) } }) },
      /current key 'k3' is not in keys \(known: k1\)/,
    );
    assertKeyError(
      { PT_CODEC_KEY_FILE: keyFile({ current: 'k1', keys: { k1: 42 } }) },
      /keys\.k1 must be a base64 string/,
    );
  });
});
