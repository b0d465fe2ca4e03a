/**
 * Every client gets the same payload encryption as the worker, from the same settings.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadTemporalSettings } from '../../connection/temporal-settings.js';

describe('connection settings and the codec', () => {
  it('carry no codec when no key is set', () => {
    assert.equal(loadTemporalSettings({}).dataConverter, undefined);
  });

  it('carry the AES-GCM codec when a key is set', async () => {
    const settings = loadTemporalSettings({
      PT_CODEC_KEY: randomBytes(32).toString('base64'),
      PT_CODEC_KEY_ID: 'k1',
    });
    const codec = settings.dataConverter?.payloadCodecs?.[0];
    assert.ok(codec, 'a payload codec');
    const plain = {
      metadata: { encoding: new TextEncoder().encode('json/plain') },
      data: new TextEncoder().encode('{"a":1}'),
    };
    const [sealed] = await codec.encode([plain]);
    assert.equal(
      new TextDecoder().decode(sealed?.metadata?.encoding ?? new Uint8Array()),
      'binary/encrypted',
    );
    const [opened] = await codec.decode([sealed!]);
    assert.equal(new TextDecoder().decode(opened?.data ?? new Uint8Array()), '{"a":1}');
    assert.equal(new TextDecoder().decode(opened?.metadata?.encoding ?? new Uint8Array()), 'json/plain');
  });

  it('refuse a bad key, naming the variable', () => {
    assert.throws(
      () => loadTemporalSettings({ PT_CODEC_KEY: 'short', PT_CODEC_KEY_ID: 'k1' }),
      /PT_CODEC_KEY/,
    );
  });
});
