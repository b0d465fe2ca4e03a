/**
 * Reads a functions file (JSON) into function definitions. One file can mix real handlers
 * (`code` = a folder with a Node.js module) and synthetic profiles (`synthetic` = numbers).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { deploymentPackage, packageDirectory } from '../code/deployment-package.js';
import type { FunctionCode, FunctionDefinition, FunctionSettings, SyntheticProfile } from './types.js';

export const FUNCTION_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

const noiseSchema = z
  .object({
    distribution: z.enum(['none', 'uniform', 'normal']).default('none'),
    size: z.number().min(0).default(0),
  })
  .strict();

/** Names the keys an object accepts when it is given another one. */
const acceptedKeys = (accepted: string) => ({
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys'
      ? `unknown ${(issue.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}; accepted: ${accepted}`
      : undefined,
});

const architectureBehaviourSchema = z.strictObject(
  {
    speedFactor: z
      .number({ error: 'speedFactor must be a number (durations on this architecture are multiplied by it)' })
      .min(0.1, { error: 'speedFactor must be from 0.1 to 10' })
      .max(10, { error: 'speedFactor must be from 0.1 to 10' })
      .optional(),
    fails: z
      .string({ error: 'fails must be the reason the code cannot start here, e.g. "exec format error"' })
      .min(1, { error: 'fails must not be empty: give the reason, e.g. "exec format error"' })
      .max(1024, { error: 'fails must be at most 1024 characters' })
      .optional(),
  },
  acceptedKeys('speedFactor, fails'),
);

/** Per-architecture behaviour: a speed factor, or code that cannot start there. */
const architecturesSchema = z.strictObject(
  { x86_64: architectureBehaviourSchema.optional(), arm64: architectureBehaviourSchema.optional() },
  acceptedKeys('x86_64, arm64'),
);

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
    architectures: architecturesSchema.optional(),
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

/**
 * A synthetic function's code. Its package is the bytes it was uploaded as; a profile from a
 * functions file is packaged as its JSON text, which uploaded again re-creates the same profile.
 */
export function syntheticCode(
  profile: SyntheticProfile,
  uploaded: Buffer = Buffer.from(JSON.stringify(profile)),
): FunctionCode {
  return { kind: 'synthetic', profile, ...deploymentPackage(uploaded) };
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
      code = { kind: 'handler', directory, handler, ...packageDirectory(directory) };
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
