/**
 * Puts the function's own code on another instruction set. Lambda changes a function's
 * architecture only through UpdateFunctionCode, so the saved version's package (the untouched
 * code the lock saved) is uploaded again with the new `Architectures`. Only ever the same bytes:
 * `$LATEST`'s code must still be the saved code before each switch (someone deploying meanwhile
 * is never overwritten), and it must be again after it.
 */
import { UpdateFunctionCodeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import type { Architecture } from '../../domain/types.js';
import { codeSource, downloadPackage, type CodeSource } from './code-package.js';
import { errorName } from './errors.js';
import { getConfiguration, waitForUpdate } from './lambda-control.js';
import { UpdateFailedError } from './wait-for-state.js';

/** The code the lock saved: what every switch uploads, and what cleanup puts back. */
export interface SavedCode {
  version: string;
  sha256: string;
  architecture: Architecture;
  packageType: 'Zip' | 'Image';
}

export async function readSavedCode(
  lambda: LambdaClient,
  functionName: string,
  version: string,
): Promise<SavedCode> {
  const saved = await getConfiguration(lambda, functionName, version);
  return {
    version,
    sha256: saved.CodeSha256 ?? '',
    architecture: saved.Architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
    packageType: saved.PackageType === 'Image' ? 'Image' : 'Zip',
  };
}

/** Someone deployed other code while the function was being tuned: not ours to overwrite. */
export const CODE_CHANGED = 'CodeChangedDuringTuning';
/** This architecture cannot run the function's code (or its package cannot be moved). */
export const ARCHITECTURE_UNAVAILABLE = 'ArchitectureUnavailable';

/**
 * Makes `$LATEST` the saved code on `architecture`; returns false when it already was. Safe to
 * repeat after a crash at any point: the state is read afresh each time.
 */
export async function putCodeOnArchitecture(
  lambda: LambdaClient,
  functionName: string,
  label: string,
  saved: SavedCode,
  architecture: Architecture,
): Promise<boolean> {
  const latest = await getConfiguration(lambda, functionName);
  const source = await codeSource(lambda, functionName, saved.version);
  await assertSameCode(lambda, functionName, label, saved, latest.CodeSha256, source);
  if ((latest.Architectures?.[0] ?? 'x86_64') === architecture) return false;

  const code =
    source.kind === 'zip'
      ? { ZipFile: await downloadPackage(source.location, saved.sha256, `${label}:${saved.version}`) }
      : { ImageUri: source.imageUri };
  await waitForUpdate(lambda, functionName);
  try {
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: functionName,
        ...code,
        Architectures: [architecture],
        // Refused if `$LATEST` changed since it was read above: the next attempt reads again.
        RevisionId: latest.RevisionId,
      }),
    );
    await waitForUpdate(lambda, functionName);
  } catch (err) {
    if (errorName(err) === 'InvalidParameterValueException' || err instanceof UpdateFailedError) {
      throw ApplicationFailure.nonRetryable(
        `${label} cannot run on ${architecture}: ${(err as Error).message}`,
        ARCHITECTURE_UNAVAILABLE,
      );
    }
    throw err;
  }
  const after = await getConfiguration(lambda, functionName);
  if (
    after.Architectures?.[0] !== architecture ||
    (saved.packageType === 'Zip' && after.CodeSha256 !== saved.sha256)
  ) {
    throw new Error(
      `After switching ${label} to ${architecture}, $LATEST has ${after.Architectures?.join(',') ?? '?'} ` +
        `and code ${after.CodeSha256 ?? '?'} (expected ${saved.sha256})`,
    );
  }
  return true;
}

async function assertSameCode(
  lambda: LambdaClient,
  functionName: string,
  label: string,
  saved: SavedCode,
  latestSha256: string | undefined,
  savedSource: CodeSource,
): Promise<void> {
  // An image's CodeSha256 is the digest of one architecture's manifest, so images compare by URI.
  const same =
    savedSource.kind === 'image'
      ? await codeSource(lambda, functionName).then(
          (latest) => latest.kind === 'image' && latest.imageUri === savedSource.imageUri,
        )
      : latestSha256 === saved.sha256;
  if (!same) {
    throw ApplicationFailure.nonRetryable(
      `The code of ${label} changed during the tuning (CodeSha256 ${latestSha256 ?? '?'}, saved ` +
        `${saved.sha256} in version ${saved.version}): someone deployed meanwhile, so the tuner ` +
        `leaves the code and architecture alone`,
      CODE_CHANGED,
    );
  }
}

/**
 * Cleanup's step: `$LATEST` back on the saved version's architecture. Code someone else deployed
 * meanwhile is theirs, architecture included: it is left as it is.
 */
export async function putBackArchitecture(
  lambda: LambdaClient,
  functionName: string,
  label: string,
  savedVersion: string,
): Promise<void> {
  const saved = await readSavedCode(lambda, functionName, savedVersion);
  try {
    await putCodeOnArchitecture(lambda, functionName, label, saved, saved.architecture);
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === CODE_CHANGED) return;
    throw err;
  }
}
