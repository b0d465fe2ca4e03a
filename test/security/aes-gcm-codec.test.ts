/** The AES-256-GCM payload codec: round trip, randomness, tamper detection, key rotation. */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA_KEY,
  PayloadDecryptionError,
} from '../../codec/aes-gcm-codec.js';
import type { Keyring } from '../../codec/keys.js';

const k1 = crypto.randomBytes(32);
const k2 = crypto.randomBytes(32);
const keyring = (currentKeyId: string, keys: Record<string, Buffer>): Keyring => ({
  currentKeyId,
  keys: new Map(Object.entries(keys)),
});

const MARKER = 'secret-marker-5f1c';
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const fromPayload = (payload: Payload): unknown => defaultPayloadConverter.fromPayload(payload);

async function encodeOne(codec: AesGcmPayloadCodec, payload: Payload): Promise<Payload> {
  const [encoded] = await codec.encode([payload]);
  assert.ok(encoded);
  return encoded;
}

describe('AES-GCM payload codec', () => {
  const codec = new AesGcmPayloadCodec(keyring('k1', { k1 }));
  const value = { functionName: 'tune-me', note: MARKER, sizes: [128, 256] };

  it('round-trips payloads, metadata included', async () => {
    const original = [toPayload(value), toPayload('plain string'), toPayload(undefined)];
    const encoded = await codec.encode(original);
    const decoded = await codec.decode(encoded);
    assert.equal(decoded.length, 3);
    assert.deepEqual(decoded.map(fromPayload), [value, 'plain string', undefined]);
    assert.deepEqual(
      decoded.map((p) => text(p.metadata?.['encoding'])),
      ['json/plain', 'json/plain', 'binary/null'],
    );
  });

  it('labels encrypted payloads and hides the plaintext, with a fresh IV each time', async () => {
    const plain = toPayload(value);
    const a = await encodeOne(codec, plain);
    const b = await encodeOne(codec, plain);
    assert.equal(text(a.metadata?.['encoding']), ENCRYPTED_ENCODING);
    assert.equal(text(a.metadata?.[KEY_ID_METADATA_KEY]), 'k1');
    assert.deepEqual(Object.keys(a.metadata ?? {}).sort(), ['encoding', KEY_ID_METADATA_KEY]);
    assert.ok(!Buffer.from(a.data ?? []).includes(MARKER), 'ciphertext contains the plaintext marker');
    assert.ok(!Buffer.from(a.data ?? []).includes('json/plain'), 'ciphertext shows the inner encoding');
    assert.notDeepEqual(Buffer.from(a.data ?? []), Buffer.from(plain.data ?? []));
    assert.notDeepEqual(Buffer.from(a.data ?? []), Buffer.from(b.data ?? []));
    assert.deepEqual(fromPayload(await codec.decode([b]).then((p) => p[0] as Payload)), value);
  });

  it('rejects a payload with any byte flipped', async () => {
    const encoded = await encodeOne(codec, toPayload(value));
    const data = Buffer.from(encoded.data ?? []);
    // One position in each part: IV, ciphertext, auth tag.
    for (const index of [0, 20, data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[index] = (tampered[index] as number) ^ 0x01;
      await assert.rejects(
        codec.decode([{ ...encoded, data: tampered }]),
        (err: unknown) => err instanceof PayloadDecryptionError && /failed authentication/.test(err.message),
        `byte ${index}`,
      );
    }
    await assert.rejects(codec.decode([{ ...encoded, data: data.subarray(0, 10) }]), /shorter than IV/);
  });

  it('keeps old payloads readable after rotating to a new current key', async () => {
    const before = new AesGcmPayloadCodec(keyring('k1', { k1 }));
    const oldPayload = await encodeOne(before, toPayload(value));

    const rotated = new AesGcmPayloadCodec(keyring('k2', { k1, k2 }));
    const newPayload = await encodeOne(rotated, toPayload('after rotation'));
    assert.equal(text(newPayload.metadata?.[KEY_ID_METADATA_KEY]), 'k2');
    const decoded = await rotated.decode([oldPayload, newPayload]);
    assert.deepEqual(decoded.map(fromPayload), [value, 'after rotation']);

    // The retired key alone cannot read what the new key wrote.
    await assert.rejects(before.decode([newPayload]), /key id 'k2'/);
  });

  it('names the unknown key id and the known ones', async () => {
    const other = new AesGcmPayloadCodec(keyring('k9', { k9: crypto.randomBytes(32) }));
    const foreign = await encodeOne(other, toPayload(value));
    await assert.rejects(
      codec.decode([foreign]),
      (err: unknown) =>
        err instanceof PayloadDecryptionError &&
        err.message.includes("key id 'k9'") &&
        err.message.includes('known: k1'),
    );
  });

  it('fails on the wrong key material under a known id', async () => {
    const impostor = new AesGcmPayloadCodec(keyring('k1', { k1: crypto.randomBytes(32) }));
    await assert.rejects(
      codec.decode([await encodeOne(impostor, toPayload(value))]),
      /failed authentication/,
    );
  });

  it('passes unencrypted payloads through unchanged', async () => {
    const plain = [toPayload(value), toPayload(null)];
    const decoded = await codec.decode(plain);
    assert.equal(decoded[0], plain[0]);
    assert.equal(decoded[1], plain[1]);
  });

  it('refuses an encrypted payload without a key id', async () => {
    const encoded = await encodeOne(codec, toPayload(value));
    const { [KEY_ID_METADATA_KEY]: _dropped, ...metadata } = encoded.metadata ?? {};
    await assert.rejects(codec.decode([{ ...encoded, metadata }]), /no 'encryption-key-id' metadata/);
  });

  it('refuses a keyring whose current key is missing', () => {
    assert.throws(() => new AesGcmPayloadCodec(keyring('k3', { k1 })), /current key id 'k3'/);
  });
});
