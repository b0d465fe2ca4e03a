/**
 * A published version's deployment package, fetched from the presigned location GetFunction
 * returns. Switching architecture uploads the very same bytes again, so the download is checked
 * against the version's CodeSha256 before it is used: a package that is not byte-for-byte the
 * function's own is never uploaded.
 */
import { createHash } from 'node:crypto';
import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { MAX_DIRECT_PACKAGE_BYTES } from '../../domain/limits.js';

/** A presigned link is valid for minutes; a download that stalls this long is retried afresh. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** Where a version's code lives: a zip behind a presigned link, or a container image. */
export type CodeSource = { kind: 'zip'; location: string } | { kind: 'image'; imageUri: string };

/** `qualifier`: a version; absent for `$LATEST`. */
export async function codeSource(
  lambda: LambdaClient,
  functionName: string,
  qualifier?: string,
): Promise<CodeSource> {
  const got = await lambda.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }));
  const code = got.Code;
  if (code?.ImageUri) return { kind: 'image', imageUri: code.ImageUri };
  if (code?.Location) return { kind: 'zip', location: code.Location };
  throw ApplicationFailure.nonRetryable(
    `GetFunction returned no code location for ${functionName}:${qualifier ?? '$LATEST'}`,
    'CodeUnavailable',
  );
}

export const sha256Base64 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('base64');

/**
 * The package's bytes, refused unless their SHA-256 is `expectedSha256`. Larger than
 * UpdateFunctionCode takes inline: refused for good, saying so.
 */
export async function downloadPackage(
  location: string,
  expectedSha256: string,
  label: string,
): Promise<Uint8Array> {
  const response = await fetch(location, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok) {
    // An expired link (403) gets a fresh one on the activity's next attempt.
    throw new Error(`Downloading the package of ${label}: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_DIRECT_PACKAGE_BYTES) throw tooLarge(label, declared);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_DIRECT_PACKAGE_BYTES) throw tooLarge(label, bytes.length);
  const sha = sha256Base64(bytes);
  if (sha !== expectedSha256) {
    throw new Error(
      `The package downloaded for ${label} has SHA-256 ${sha}, not the version's ${expectedSha256}`,
    );
  }
  return bytes;
}

function tooLarge(label: string, bytes: number): ApplicationFailure {
  const mb = (bytes / 1024 / 1024).toFixed(1);
  return ApplicationFailure.nonRetryable(
    `The package of ${label} is ${mb} MB; switching architecture uploads it again, and packages over ` +
      `${MAX_DIRECT_PACKAGE_BYTES / 1024 / 1024} MB must go through S3, which this tuner does not do yet`,
    'ArchitectureUnavailable',
  );
}
