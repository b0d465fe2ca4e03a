/**
 * Validates the body of UpdateFunctionConfiguration (and the configuration part of
 * CreateFunction) and applies it to a copy of the settings. Unknown fields are ignored, as AWS does.
 */
import { invalidParameter } from '../http/errors.js';
import { ARCHITECTURES, type Architecture, type FunctionSettings, type LogFormat } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function intInRange(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(
      `${field} must be an integer between ${min} and ${max}, got: ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function stringField(body: Record<string, unknown>, field: string, maxLength: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) {
    throw invalidParameter(`${field} must be a string of at most ${maxLength} characters`);
  }
  return value;
}

export function applySettings(current: FunctionSettings, body: Record<string, unknown>): FunctionSettings {
  const next: FunctionSettings = { ...current, environment: { ...current.environment } };
  next.memorySize = intInRange(body, 'MemorySize', 128, 10240) ?? next.memorySize;
  next.timeout = intInRange(body, 'Timeout', 1, 900) ?? next.timeout;
  next.description = stringField(body, 'Description', 256) ?? next.description;
  next.handler = stringField(body, 'Handler', 128) ?? next.handler;
  next.runtime = stringField(body, 'Runtime', 64) ?? next.runtime;
  next.role = stringField(body, 'Role', 2048) ?? next.role;
  if (body.Environment !== undefined && body.Environment !== null) {
    const vars = isObject(body.Environment) ? (body.Environment.Variables ?? {}) : undefined;
    if (!isObject(vars) || Object.values(vars).some((v) => typeof v !== 'string')) {
      throw invalidParameter('Environment.Variables must be an object of string values');
    }
    next.environment = { ...(vars as Record<string, string>) };
  }
  if (body.LoggingConfig !== undefined && body.LoggingConfig !== null) {
    const format = isObject(body.LoggingConfig) ? body.LoggingConfig.LogFormat : undefined;
    if (format !== undefined && format !== 'Text' && format !== 'JSON') {
      throw invalidParameter(`LoggingConfig.LogFormat must be Text or JSON, got: ${JSON.stringify(format)}`);
    }
    if (format !== undefined) next.logFormat = format as LogFormat;
  }
  if (body.EphemeralStorage !== undefined && body.EphemeralStorage !== null) {
    const size = isObject(body.EphemeralStorage) ? body.EphemeralStorage.Size : undefined;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 512 || size > 10240) {
      throw invalidParameter('EphemeralStorage.Size must be an integer between 512 and 10240');
    }
    next.ephemeralStorageMb = size;
  }
  return next;
}

/** Architectures can only be set by CreateFunction (and UpdateFunctionCode) in Lambda. */
export function parseArchitectures(value: unknown): Architecture[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length !== 1 || !ARCHITECTURES.includes(value[0] as Architecture)) {
    throw invalidParameter('Architectures must be a list with exactly one of x86_64 or arm64');
  }
  return [value[0] as Architecture];
}
