/**
 * Payload codec that encrypts each whole serialized Payload (data and metadata) with AES-256-GCM,
 * so workflow inputs, activity arguments and results are unreadable in Temporal's history.
 *
 * Wire format of an encrypted payload: metadata `encoding: binary/encrypted` and
 * `encryption-key-id: <id>`; data = 12-byte random IV || ciphertext || 16-byte auth tag.
 */
import crypto from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
// CommonJS package: its named exports are reached through the default import under ESM.
import proto from '@temporalio/proto';
import type { Keyring } from './keys.js';

const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const ENCODING_METADATA_KEY = 'encoding';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An encrypted payload that cannot be decrypted: unknown key, bad framing, or failed authentication. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? fromUtf8.decode(value) : undefined;
}

export function isEncryptedPayload(payload: Payload): boolean {
  return metadataText(payload, ENCODING_METADATA_KEY) === ENCRYPTED_ENCODING;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly currentKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(keyring: Keyring) {
    if (!keyring.keys.has(keyring.currentKeyId)) {
      throw new Error(`AesGcmPayloadCodec: current key id '${keyring.currentKeyId}' is not in the keyring`);
    }
    this.currentKeyId = keyring.currentKeyId;
    this.keys = keyring.keys;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encryptOne(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decryptOne(payload));
  }

  private encryptOne(payload: Payload): Payload {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [ENCODING_METADATA_KEY]: utf8.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA_KEY]: utf8.encode(this.currentKeyId),
      },
      data: sealed,
    };
  }

  private decryptOne(payload: Payload): Payload {
    // Payloads written without the codec (or by another codec) are left for the converter as they are.
    if (!isEncryptedPayload(payload)) return payload;
    const keyId = metadataText(payload, KEY_ID_METADATA_KEY);
    if (keyId === undefined) {
      throw new PayloadDecryptionError(
        `Encrypted payload has no '${KEY_ID_METADATA_KEY}' metadata: cannot tell which key to use`,
      );
    }
    const key = this.keys.get(keyId);
    if (!key) {
      const known = [...this.keys.keys()].join(', ');
      throw new PayloadDecryptionError(
        `Encrypted payload uses key id '${keyId}', which is not in the keyring (known: ${known}); ` +
          'add that key to PT_CODEC_KEY_FILE to read it',
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(
        `Encrypted payload (key id '${keyId}') is ${data.length} bytes, shorter than IV and auth tag`,
      );
    }
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const body = data.subarray(IV_BYTES, data.length - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = crypto.createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `Encrypted payload (key id '${keyId}') failed authentication: it was altered, or the key with that id is not the one that encrypted it`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
