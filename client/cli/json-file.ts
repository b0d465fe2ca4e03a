/** Reading a JSON file a command was given (`--input`, `--payload-file`, a result file). */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './exit.js';
import type { CliIo } from './io.js';

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The parsed JSON of `file` (relative to the command's directory; "-" is stdin). A file that
 * cannot be read or parsed is a UsageError naming `what` (the flag, or what the file is for).
 */
export async function readJsonFile(io: CliIo, file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text =
      file === '-' ? await readStdin(io) : await fs.promises.readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(
      `${what}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${what}: ${file} is not valid JSON: ${(err as Error).message}`);
  }
}
