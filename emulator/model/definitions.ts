/**
 * Reads a functions file (JSON) into function definitions. One file can mix real handlers
 * (`code` = a folder with a Node.js module) and synthetic profiles (`synthetic` = numbers).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { FunctionCode, FunctionDefinition, FunctionSettings, SyntheticProfile } from './types.js';

export const FUNCTION_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

const noiseSchema = z
  .object({
    distribution: z.enum(['none', 'uniform', 'normal']).default('none'),
    size: z.number().min(0).default(0),
  })
  .strict();

export const syntheticProfileSchema = z
  .object({
    cpuMs: z.number().min(0),
    threads: z.number().int().min(1).default(1),
    ioWaitMs: z.number().min(0).default(0),
    coldStartMs: z.number().min(0).default(0),
    minMemoryMb: z.number().min(0).default(0),
    memoryUsedMb: z.number().min(1).default(60),
    errorRate: z.number().min(0).max(1).default(0),
    noise: noiseSchema.default({ distribution: 'none', size: 0 }),
    // Optional and without defaults: a profile that leaves them out parses to exactly what it did
    // before they existed (same JSON, so the same CodeSha256).
    relativeNoise: z.number().min(0).max(2).optional(),
    outliers: z
      .object({ rate: z.number().min(0).max(1), factor: z.number().min(1).max(1000) })
      .strict()
      .optional(),
    environmentSpread: z.number().min(0).max(2).optional(),
    memoryPressure: z
      .object({ belowMb: z.number().min(128).max(10240), extra: z.number().min(0).max(10) })
      .strict()
      .optional(),
  })
  .strict();

const definitionSchema = z
  .object({
    name: z.string().regex(FUNCTION_NAME_PATTERN, 'letters, digits, - and _, at most 64 characters'),
    code: z.string().optional(),
    handler: z.string().default('index.handler'),
    synthetic: syntheticProfileSchema.optional(),
    description: z.string().max(256).default(''),
    memorySize: z.number().int().min(128).max(10240).default(128),
    timeout: z.number().int().min(1).max(900).default(3),
    environment: z.record(z.string(), z.string()).default({}),
    architectures: z
      .array(z.enum(['x86_64', 'arm64']))
      .length(1)
      .default(['x86_64']),
    logFormat: z.enum(['Text', 'JSON']).default('Text'),
    runtime: z.string().default('nodejs20.x'),
    pendingVersionMs: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((d) => (d.code === undefined) !== (d.synthetic === undefined), {
    message: 'set exactly one of "code" (a folder with a handler module) or "synthetic" (a profile)',
  });

const fileSchema = z.object({ functions: z.array(definitionSchema) }).strict();

/** Hash and size of every file below a folder, so that the same code always gets the same CodeSha256. */
export function hashDirectory(directory: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  let size = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        const bytes = readFileSync(path);
        hash.update(path.slice(directory.length)).update(bytes);
        size += bytes.length;
      }
    }
  };
  walk(directory);
  return { sha256: hash.digest('base64'), size };
}

export function syntheticCode(profile: SyntheticProfile): FunctionCode {
  const text = JSON.stringify(profile);
  return {
    kind: 'synthetic',
    profile,
    sha256: createHash('sha256').update(text).digest('base64'),
    size: Buffer.byteLength(text),
  };
}

export function defaultSettings(overrides: Partial<FunctionSettings> = {}): FunctionSettings {
  return {
    description: '',
    memorySize: 128,
    timeout: 3,
    environment: {},
    architectures: ['x86_64'],
    logFormat: 'Text',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::123456789012:role/lambda-emulator',
    ephemeralStorageMb: 512,
    ...overrides,
  };
}

function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  return `Invalid functions file ${file}:\n${lines.join('\n')}`;
}

/** Loads and validates a functions file; `code` folders are resolved relative to the file. */
export function loadDefinitions(file: string): FunctionDefinition[] {
  const path = resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read functions file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(formatIssues(path, parsed.error));
  return parsed.data.functions.map((d) => {
    let code: FunctionCode;
    let handler = d.handler;
    if (d.synthetic) {
      code = syntheticCode(d.synthetic);
    } else {
      const target = resolve(dirname(path), d.code ?? '.');
      if (!existsSync(target))
        throw new Error(`Invalid functions file ${path}: ${d.name}.code: ${target} does not exist`);
      // `code` may name the module file itself; the handler then points into that file.
      const isFile = statSync(target).isFile();
      const directory = isFile ? dirname(target) : target;
      const exportName = d.handler.slice(d.handler.lastIndexOf('.') + 1);
      handler = isFile ? `${basename(target).replace(/\.(mjs|cjs|js)$/, '')}.${exportName}` : d.handler;
      code = { kind: 'handler', directory, handler, ...hashDirectory(directory) };
    }
    const settings = defaultSettings({
      description: d.description,
      memorySize: d.memorySize,
      timeout: d.timeout,
      environment: d.environment,
      architectures: d.architectures,
      logFormat: d.logFormat,
      runtime: d.runtime,
      handler,
    });
    return { name: d.name, code, settings, pendingVersionMs: d.pendingVersionMs };
  });
}
