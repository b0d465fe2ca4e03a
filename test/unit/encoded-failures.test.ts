/**
 * With payload encryption on, the data converter also encodes failure messages and stack traces,
 * and the SDK can load that converter by its path (as the worker, the clients and the bundler do).
 */

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import {
  ENCODED_FAILURE_CONVERTER_PATH,
  bundleConverterOptions,
  dataConverterFromEnv,
} from '../../codec/data-converter.js';

const KEY_ENV = { PT_CODEC_KEY: crypto.randomBytes(32).toString('base64'), PT_CODEC_KEY_ID: 'k1' };

describe('encoded failures', () => {
  it('come with the codec, and not without it', () => {
    assert.equal(dataConverterFromEnv(KEY_ENV)?.failureConverterPath, ENCODED_FAILURE_CONVERTER_PATH);
    assert.equal(dataConverterFromEnv({}), undefined);
  });

  it('move the message and stack trace into an encoded payload, and back', () => {
    const { failureConverter, payloadConverter } = loadDataConverter(dataConverterFromEnv(KEY_ENV));
    const failure = failureConverter.errorToFailure(
      ApplicationFailure.nonRetryable('declined card-4111', 'Declined'),
      payloadConverter,
    );
    assert.equal(failure.message, 'Encoded failure');
    assert.equal(failure.stackTrace, '');
    assert.ok(failure.encodedAttributes, 'no encoded attributes');
    assert.equal(failure.applicationFailureInfo?.type, 'Declined');
    const back = failureConverter.failureToError(failure, payloadConverter);
    assert.equal(back.message, 'declined card-4111');
    assert.match(back.stack ?? '', /declined card-4111/);
  });

  it('are built into prebuilt workflow bundles through bundleConverterOptions', () => {
    assert.deepEqual(bundleConverterOptions(dataConverterFromEnv(KEY_ENV)), {
      failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH,
    });
    assert.deepEqual(bundleConverterOptions(undefined), {});
  });

  it('use a converter module the workflow sandbox can load (no Node built-ins)', () => {
    const code = readFileSync(ENCODED_FAILURE_CONVERTER_PATH, 'utf8');
    const imports = [...code.matchAll(/from ['"]([^'"]+)['"]/g)].map((m) => m[1]);
    assert.deepEqual(imports, ['@temporalio/common']);
  });
});
