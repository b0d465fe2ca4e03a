/** Well-known locations inside the project checkout, independent of the current working directory. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Git-ignored cache for downloaded tools (Temporal CLI, moto); override with PT_CACHE_DIR. */
export function cacheDir(...parts: string[]): string {
  const base = process.env['PT_CACHE_DIR'] ?? path.join(PROJECT_ROOT, '.cache');
  return path.join(base, ...parts);
}
