/** Runs one of the repository's TypeScript entry points in a child process, as `npm run …` does. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `node --import tsx <script> <args…>` from the repository root; returns its stdout, and rejects
 * when it exits non-zero or runs longer than `timeoutMs`.
 */
export async function runTsxScript(script: string, args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    timeout: timeoutMs,
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}
