/** Shared helpers for the emulator's contract tests: SDK clients, functions files, zip packages. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import {
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';

/** Every temporary file of a test process lives here and goes when the process exits. */
const TEMP_ROOT = mkdtempSync(join(tmpdir(), 'emu-test-'));
process.on('exit', () => rmSync(TEMP_ROOT, { recursive: true, force: true }));

/**
 * The official client, pointed at the emulator the way a user would point it at LocalStack. An
 * emulator started with a token wants it as the access key id.
 */
export function lambdaClient(url: string, maxAttempts = 1, accessKeyId = 'x'): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'x' },
    maxAttempts,
  });
}

/** SDK waiter timing for the emulator, whose updates take milliseconds, not seconds. */
export const FAST_WAITER = { minDelay: 0.05, maxDelay: 0.1, maxWaitTime: 10 };

/** Sets the function's memory size and waits until the update has been applied. */
export async function setMemory(lambda: LambdaClient, name: string, memory: number): Promise<void> {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: memory }));
  await waitUntilFunctionUpdatedV2({ client: lambda, ...FAST_WAITER }, { FunctionName: name });
}

/** Writes a functions file (the emulator's JSON format) into a fresh temporary folder. */
export function functionsFile(functions: Record<string, unknown>[]): string {
  const file = join(mkdtempSync(join(TEMP_ROOT, 'functions-')), 'functions.json');
  writeFileSync(file, JSON.stringify({ functions }));
  return file;
}

export const decodeLog = (out: InvokeCommandOutput): string =>
  Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

export const payloadJson = (out: InvokeCommandOutput): unknown =>
  JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'));

export const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));

/** The numbers of a Text-format REPORT line. */
export function reportOf(log: string): {
  duration: number;
  billed: number;
  memory: number;
  used: number;
  init?: number;
} {
  const line = log.split('\n').find((l) => l.startsWith('REPORT RequestId: '));
  if (!line) throw new Error(`no REPORT line in log:\n${log}`);
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(line);
    return m ? Number(m[1]) : undefined;
  };
  return {
    duration: num(/\tDuration: (\d+\.\d{2}) ms/) ?? NaN,
    billed: num(/\tBilled Duration: (\d+) ms/) ?? NaN,
    memory: num(/\tMemory Size: (\d+) MB/) ?? NaN,
    used: num(/\tMax Memory Used: (\d+) MB/) ?? NaN,
    init: num(/\tInit Duration: (\d+\.\d{2}) ms/),
  };
}

/** A minimal .zip (stored or deflated entries), as a deployment package for CreateFunction. */
export function zip(files: Record<string, string>, opts: { deflate?: boolean } = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const raw = Buffer.from(text);
    const data = opts.deflate ? deflateRawSync(raw) : raw;
    const method = opts.deflate ? 8 : 0;
    const nameBytes = Buffer.from(name);
    const crc = crc32(raw);
    // From "version needed" to the name's length, the central header repeats the local header's
    // fields 2 bytes further on (after its "version made by").
    const entryFields = (header: Buffer, at: number): Buffer => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(method, at + 4);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(data.length, at + 14);
      header.writeUInt32LE(raw.length, at + 18);
      header.writeUInt16LE(nameBytes.length, at + 22);
      return header;
    };
    const local = entryFields(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    const central = entryFields(Buffer.alloc(46), 6);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** A folder holding one handler module, for functions files (`code` points at it). */
export function handlerDir(source: string, file = 'index.mjs'): string {
  const dir = mkdtempSync(join(TEMP_ROOT, 'handler-'));
  writeFileSync(join(dir, file), source);
  return dir;
}
