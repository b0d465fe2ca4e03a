/**
 * The keyring for payload encryption, read from the environment:
 * - `PT_CODEC_KEY` (base64 of 32 bytes) with `PT_CODEC_KEY_ID`, for a single key; or
 * - `PT_CODEC_KEY_FILE`, a JSON file `{ "current": "k2", "keys": { "k1": "<base64>", "k2": "<base64>" } }`,
 *   so payloads written under retired keys stay readable after a rotation.
 * Nothing set means encryption is off.
 */
import fs from 'node:fs';
import { isPlainObject } from '../domain/json.js';

export const KEY_BYTES = 32;

export interface Keyring {
  /** Id of the key new payloads are encrypted with. */
  currentKeyId: string;
  /** Every key that may be needed to decrypt, by id (includes the current one). */
  keys: ReadonlyMap<string, Buffer>;
}

/** A misconfigured key; the message names the variable or file entry at fault. */
export class CodecKeyError extends Error {
  override name = 'CodecKeyError';
}

const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function checkKeyId(id: string, where: string): string {
  if (!KEY_ID_PATTERN.test(id)) {
    throw new CodecKeyError(
      `${where}: key id '${id}' is not valid (expected 1-64 characters from A-Z a-z 0-9 . _ -)`,
    );
  }
  return id;
}

/** Decodes one base64 key and insists on exactly 32 bytes (AES-256). */
export function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (!BASE64_PATTERN.test(trimmed)) {
    throw new CodecKeyError(
      `${where}: expected a base64 string of exactly ${KEY_BYTES} bytes (e.g. from \`openssl rand -base64 32\`)`,
    );
  }
  // Node's base64 decoder also accepts the URL-safe alphabet.
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new CodecKeyError(
      `${where}: the key decodes to ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES} (e.g. from \`openssl rand -base64 32\`)`,
    );
  }
  return key;
}

/** Parses the key file's JSON text; `where` prefixes every error (normally the variable and the path). */
export function parseKeyFile(text: string, where: string): Keyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CodecKeyError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(parsed) || typeof parsed['current'] !== 'string' || !isPlainObject(parsed['keys'])) {
    throw new CodecKeyError(
      `${where}: expected {"current": "<key id>", "keys": {"<key id>": "<base64 of 32 bytes>", ...}}`,
    );
  }
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(parsed['keys'])) {
    checkKeyId(id, `${where} keys`);
    if (typeof value !== 'string') throw new CodecKeyError(`${where}: keys.${id} must be a base64 string`);
    keys.set(id, parseKey(value, `${where}: keys.${id}`));
  }
  const current = checkKeyId(parsed['current'], `${where} current`);
  if (!keys.has(current)) {
    const known = [...keys.keys()].join(', ') || 'none';
    throw new CodecKeyError(`${where}: current key '${current}' is not in keys (known: ${known})`);
  }
  return { currentKeyId: current, keys };
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Reads the keyring from `env`; undefined when no key variable is set (encryption off). */
export function loadKeyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const key = nonEmpty(env, 'PT_CODEC_KEY');
  const keyId = nonEmpty(env, 'PT_CODEC_KEY_ID');
  const file = nonEmpty(env, 'PT_CODEC_KEY_FILE');
  if (key !== undefined && file !== undefined) {
    throw new CodecKeyError('PT_CODEC_KEY and PT_CODEC_KEY_FILE are both set: use one or the other');
  }
  if (file !== undefined) {
    if (keyId !== undefined) {
      throw new CodecKeyError(
        'PT_CODEC_KEY_ID is ignored with PT_CODEC_KEY_FILE: the file\'s "current" field selects the key; unset PT_CODEC_KEY_ID',
      );
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new CodecKeyError(`PT_CODEC_KEY_FILE: cannot read '${file}' (${(err as Error).message})`);
    }
    return parseKeyFile(text, `PT_CODEC_KEY_FILE (${file})`);
  }
  if (key !== undefined) {
    if (keyId === undefined) {
      throw new CodecKeyError(
        'PT_CODEC_KEY_ID: required with PT_CODEC_KEY (a short name such as "k1", stored with each payload to pick the key when decrypting)',
      );
    }
    const id = checkKeyId(keyId, 'PT_CODEC_KEY_ID');
    return { currentKeyId: id, keys: new Map([[id, parseKey(key, 'PT_CODEC_KEY')]]) };
  }
  if (keyId !== undefined) {
    throw new CodecKeyError('PT_CODEC_KEY_ID is set but PT_CODEC_KEY is not: set both, or neither');
  }
  return undefined;
}
