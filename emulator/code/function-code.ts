/**
 * Turns uploaded code (CreateFunction's `Code`, UpdateFunctionCode's `ZipFile`) into something
 * runnable. A .zip is unpacked into a temporary folder and run as a real handler, unless it holds
 * `emulator-profile.json`, which makes it a synthetic function. A bare JSON profile (not zipped) is
 * accepted as a shortcut. Whatever the kind, the uploaded bytes are kept as the deployment
 * package: CodeSha256 is their SHA-256, and GetFunction's code location serves them back.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { invalidParameter } from '../http/errors.js';
import { syntheticCode, syntheticProfileSchema } from '../model/definitions.js';
import type { FunctionCode } from '../model/types.js';
import { deploymentPackage } from './deployment-package.js';
import { isZip, readZip } from './zip.js';

export const PROFILE_FILE = 'emulator-profile.json';

/** What the emulator runs, said in every refusal of code it cannot take. */
const SUPPORTED = 'this emulator runs zipped Node.js handlers or synthetic profiles';

/** Validated code, not yet on disk: `install` unpacks a handler package (nothing for a profile). */
export interface PreparedCode {
  code: FunctionCode;
  install(): void;
}

/** A synthetic function from `text`, whose deployment package is `uploaded` (the zip or the JSON). */
function profileFrom(text: string, uploaded: Buffer): FunctionCode {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalidParameter(`${PROFILE_FILE} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = syntheticProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw invalidParameter(`Invalid synthetic profile: ${detail}`);
  }
  return syntheticCode(parsed.data, uploaded);
}

/**
 * Validates base64 `zipFile` (named `field` in errors) and works out the code it holds, without
 * writing anything: UpdateFunctionCode checks the function's state, and DryRun stops, in between.
 */
export function prepareCode(
  zipFile: unknown,
  handler: string,
  workDir: string,
  functionName: string,
  field = 'Code.ZipFile',
): PreparedCode {
  if (typeof zipFile !== 'string' || zipFile === '') {
    throw invalidParameter(
      `Please provide a source for function code. ${field} is required: ${SUPPORTED} (S3 and image code are not supported)`,
    );
  }
  const bytes = Buffer.from(zipFile, 'base64');
  const nothingToInstall = (): void => undefined;
  if (!isZip(bytes)) return { code: profileFrom(bytes.toString('utf8'), bytes), install: nothingToInstall };
  let entries;
  try {
    entries = readZip(bytes);
  } catch (err) {
    throw invalidParameter(`Could not unzip uploaded file: ${(err as Error).message}`);
  }
  const profile = entries.find((e) => e.name === PROFILE_FILE);
  if (profile) return { code: profileFrom(profile.data.toString('utf8'), bytes), install: nothingToInstall };
  const directory = join(
    workDir,
    functionName,
    createHash('sha256').update(bytes).digest('hex').slice(0, 16),
  );
  const files = entries.map((entry) => {
    const target = normalize(join(directory, entry.name));
    if (!target.startsWith(directory + sep)) {
      throw invalidParameter(`Zip entry escapes the package: ${entry.name}`);
    }
    return { target, data: entry.data };
  });
  return {
    code: { kind: 'handler', directory, handler, ...deploymentPackage(bytes) },
    install: () => {
      for (const { target, data } of files) {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, data);
      }
    },
  };
}

/** CreateFunction's `Code`: validated, unpacked and ready to run. */
export function codeFromRequest(
  code: unknown,
  handler: string,
  workDir: string,
  functionName: string,
): FunctionCode {
  const prepared = prepareCode(
    (code as { ZipFile?: unknown } | undefined)?.ZipFile,
    handler,
    workDir,
    functionName,
  );
  prepared.install();
  return prepared.code;
}

/**
 * UpdateFunctionCode's code source. Its functions are all `PackageType: Zip`, so ImageUri gets
 * AWS's own answer; S3 locations cannot be fetched here.
 */
export function zipFileOfUpdate(body: Record<string, unknown>): unknown {
  const given = (key: string): boolean => body[key] !== undefined && body[key] !== null;
  if (given('ImageUri')) {
    throw invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
  }
  const s3 = ['S3Bucket', 'S3Key', 'S3ObjectVersion'].filter(given);
  if (s3.length > 0) {
    throw invalidParameter(
      `${s3.join(', ')}: S3 code is not supported: ${SUPPORTED}; send the package as ZipFile`,
    );
  }
  return body.ZipFile;
}
