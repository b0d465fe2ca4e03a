/** Runs the CLI in-process with captured output (no server involved), and reads CSV back. */
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../client/cli/io.js';
import { runCli } from '../../client/cli/program.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCaptured(
  argv: string[],
  opts: { cwd?: string; stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string | Uint8Array) => ((stdout += String(t)), true) },
    stderr: { write: (t: string | Uint8Array) => ((stderr += String(t)), true) },
    stdin: opts.stdin === undefined ? new PassThrough() : Readable.from([opts.stdin]),
    // An address nothing listens on: a test that reached the network would fail loudly.
    env: { TEMPORAL_ADDRESS: '127.0.0.1:1', NO_COLOR: '1', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Minimal RFC 4180 reader for checking the writer. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',' || c === '\n') {
      row.push(field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    } else {
      field += c;
    }
  }
  return rows;
}
