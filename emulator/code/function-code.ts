/**
 * Turns CreateFunction's `Code` into something runnable. A .zip is unpacked into a temporary
 * folder and run as a real handler, unless it holds `emulator-profile.json`, which makes it a
 * synthetic function. A bare JSON profile (not zipped) is accepted as a shortcut.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { invalidParameter } from '../http/errors.js';
import { syntheticCode, syntheticProfileSchema } from '../model/definitions.js';
import type { FunctionCode } from '../model/types.js';
import { isZip, readZip } from './zip.js';

export const PROFILE_FILE = 'emulator-profile.json';

function profileFrom(text: string): FunctionCode {
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
  return syntheticCode(parsed.data);
}

export function codeFromRequest(
  code: unknown,
  handler: string,
  workDir: string,
  functionName: string,
): FunctionCode {
  const zipFile = (code as { ZipFile?: unknown } | undefined)?.ZipFile;
  if (typeof zipFile !== 'string' || zipFile === '') {
    throw invalidParameter(
      'Code.ZipFile is required: this emulator runs zipped Node.js handlers or synthetic profiles (S3 and image code are not supported)',
    );
  }
  const bytes = Buffer.from(zipFile, 'base64');
  if (!isZip(bytes)) return profileFrom(bytes.toString('utf8'));
  let entries;
  try {
    entries = readZip(bytes);
  } catch (err) {
    throw invalidParameter(`Could not unzip uploaded file: ${(err as Error).message}`);
  }
  const profile = entries.find((e) => e.name === PROFILE_FILE);
  if (profile) return profileFrom(profile.data.toString('utf8'));
  const sha256 = createHash('sha256').update(bytes).digest('base64');
  const directory = join(
    workDir,
    functionName,
    createHash('sha256').update(bytes).digest('hex').slice(0, 16),
  );
  for (const entry of entries) {
    const target = normalize(join(directory, entry.name));
    if (!target.startsWith(directory)) throw invalidParameter(`Zip entry escapes the package: ${entry.name}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data);
  }
  return { kind: 'handler', directory, handler, sha256, size: bytes.length };
}
