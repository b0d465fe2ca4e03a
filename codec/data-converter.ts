/**
 * The data converter the worker, the workflow bundle and the clients use: with keys configured,
 * the AES-GCM codec, and failures whose message and stack trace are encoded (so encrypted) too.
 * This is the one place that decides both; everything else asks it.
 */
import type { DataConverter } from '@temporalio/common';
import { sourceOrCompiled } from '../infra/module-path.js';
import { AesGcmPayloadCodec } from './aes-gcm-codec.js';
import { loadKeyringFromEnv, type Keyring } from './keys.js';

/**
 * The module whose `failureConverter` encodes failure messages and stack traces. A path, not an
 * object: the SDK loads it itself in the worker and clients, and bundles it into the workflows.
 */
export const ENCODED_FAILURE_CONVERTER_PATH = sourceOrCompiled(
  new URL('./failure-converter.ts', import.meta.url),
);

export function dataConverterFromKeyring(keyring: Keyring): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(keyring)],
    // Without it, a failure's message and stack trace (which may quote inputs) stay plaintext.
    failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH,
  };
}

/**
 * `{ payloadCodecs: [codec], failureConverterPath }` when PT_CODEC_KEY(+_ID) or PT_CODEC_KEY_FILE
 * is set, else undefined (the SDK defaults, no encryption). Throws CodecKeyError on a misconfigured key.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const keyring = loadKeyringFromEnv(env);
  return keyring ? dataConverterFromKeyring(keyring) : undefined;
}

/**
 * The converter options for `bundleWorkflowCode`, to match a worker's data converter. A worker
 * that bundles from `workflowsPath` takes them from its data converter by itself; a prebuilt
 * bundle only has what it was built with, and workflow failures are converted inside it.
 */
export function bundleConverterOptions(dataConverter: DataConverter | undefined): {
  failureConverterPath?: string;
  payloadConverterPath?: string;
} {
  return {
    ...(dataConverter?.failureConverterPath
      ? { failureConverterPath: dataConverter.failureConverterPath }
      : {}),
    ...(dataConverter?.payloadConverterPath
      ? { payloadConverterPath: dataConverter.payloadConverterPath }
      : {}),
  };
}
