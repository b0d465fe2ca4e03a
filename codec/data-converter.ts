/** The data converter the worker and clients use: the AES-GCM codec when keys are configured. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-codec.js';
import { loadKeyringFromEnv, type Keyring } from './keys.js';

export function dataConverterFromKeyring(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keyring)] };
}

/**
 * `{ payloadCodecs: [codec] }` when PT_CODEC_KEY(+_ID) or PT_CODEC_KEY_FILE is set, else undefined
 * (the SDK default, no encryption). Throws CodecKeyError on a misconfigured key.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const keyring = loadKeyringFromEnv(env);
  return keyring ? dataConverterFromKeyring(keyring) : undefined;
}
