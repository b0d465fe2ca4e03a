/** Where a command reads and writes, so tests can run commands in-process with fake streams. */
import type { Readable, Writable } from 'node:stream';

export interface OutStream extends Pick<Writable, 'write'> {
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C: watching stops, the tuning goes on. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    ...(signal ? { signal } : {}),
  };
}

export function writeLine(stream: OutStream, text = ''): void {
  stream.write(`${text}\n`);
}
