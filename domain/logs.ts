/**
 * Reads the REPORT record from the log tail Lambda returns with `LogType: Tail`
 * (base64 of the last 4 KB of the invocation's log), in text or JSON log format.
 */
import { decodeBase64, utf8Decode } from './base64.js';

export interface ParsedLog {
  durationMs: number;
  billedDurationMs: number;
  /** 0 when absent (warm start). */
  initDurationMs: number;
  /** 0 when absent (no SnapStart). */
  restoreDurationMs: number;
  billedRestoreDurationMs: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  format: 'text' | 'json';
}

/** The log holds no usable REPORT record: measuring zero would silently skew the averages. */
export class LogParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogParseError';
  }
}

/** Decodes the base64 LogResult and parses it. */
export function parseInvocationLog(logResultBase64: string | undefined): ParsedLog {
  if (logResultBase64 === undefined || logResultBase64 === '') {
    throw new LogParseError(
      'The invocation returned no log (LogResult is empty); invoke with LogType "Tail"',
    );
  }
  let text: string;
  try {
    text = utf8Decode(decodeBase64(logResultBase64));
  } catch (error) {
    throw new LogParseError(`LogResult is not valid base64: ${(error as Error).message}`);
  }
  return parseLogText(text);
}

/**
 * Parses decoded log text. A JSON `platform.report` record is looked for first (found by
 * content, on any line, so a cut first line or text lines in between do not matter), then a
 * text REPORT line. The last record wins: the tail ends with this invocation's report.
 */
export function parseLogText(text: string): ParsedLog {
  const fromJson = findJsonReport(text);
  if (fromJson) return fromJson;
  const fromText = findTextReport(text);
  if (fromText) return fromText;
  throw new LogParseError(
    `No REPORT line or platform.report record in the log tail (${text.length} characters): ` +
      'cannot measure this invocation. Log starts with: ' +
      JSON.stringify(text.slice(0, 120)),
  );
}

// ---- JSON format -------------------------------------------------------------------------

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isReportRecord(value: unknown): value is JsonObject {
  return isObject(value) && value.type === 'platform.report';
}

function findJsonReport(text: string): ParsedLog | undefined {
  if (!text.includes('platform.report')) return undefined;
  // The whole tail may be one JSON document (an object or an array of events).
  const whole = tryParse(text.trim());
  const candidates: unknown[] = Array.isArray(whole) ? whole : whole === undefined ? [] : [whole];
  let report = [...candidates].reverse().find(isReportRecord);
  if (!report) {
    const lines = text.split(/\r?\n/).filter((line) => line.includes('platform.report'));
    for (let i = lines.length - 1; i >= 0 && !report; i--) {
      const parsed = tryParse((lines[i] as string).trim());
      if (isReportRecord(parsed)) report = parsed;
    }
  }
  if (!report) return undefined;
  const record = report.record;
  const metrics = isObject(record) ? record.metrics : undefined;
  if (!isObject(metrics))
    throw new LogParseError('The platform.report record has no "record.metrics" object');
  const required = (key: string): number => {
    const value = metrics[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new LogParseError(`The platform.report record has no numeric "${key}" metric`);
    }
    return value;
  };
  const optional = (key: string): number | undefined => {
    const value = metrics[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  const durationMs = required('durationMs');
  const parsed: ParsedLog = {
    durationMs,
    // Some records carry no billedDurationMs; Lambda bills the duration rounded up to its 1 ms
    // granularity, so that is what this invocation cost. A value that is there must be a number.
    billedDurationMs:
      metrics['billedDurationMs'] === undefined ? Math.ceil(durationMs) : required('billedDurationMs'),
    initDurationMs: optional('initDurationMs') ?? 0,
    restoreDurationMs: optional('restoreDurationMs') ?? 0,
    billedRestoreDurationMs: optional('billedRestoreDurationMs') ?? 0,
    format: 'json',
  };
  const memorySize = optional('memorySizeMB');
  const maxMemoryUsed = optional('maxMemoryUsedMB');
  if (memorySize !== undefined) parsed.memorySizeMb = memorySize;
  if (maxMemoryUsed !== undefined) parsed.maxMemoryUsedMb = maxMemoryUsed;
  return parsed;
}

// ---- Text format -------------------------------------------------------------------------

/**
 * `Key: value unit` fields of a REPORT line. Longer keys come first in the alternation and the
 * scan is leftmost-first, so "Billed Duration: 500" is never read as "Duration: 500".
 * Integers and decimals are both accepted (upstream required a decimal point).
 */
const FIELD =
  /(Billed Restore Duration|Restore Duration|Billed Duration|Init Duration|Max Memory Used|Memory Size|Duration): (\d+(?:\.\d+)?) (?:ms|MB)/g;

function findTextReport(text: string): ParsedLog | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    // "Billed Duration:" only appears in REPORT lines (the last one is this invocation's).
    if (!line.includes('Billed Duration:')) continue;
    const fields = new Map<string, number>();
    for (const match of line.matchAll(FIELD)) {
      if (!fields.has(match[1] as string)) fields.set(match[1] as string, Number(match[2]));
    }
    const duration = fields.get('Duration');
    const billed = fields.get('Billed Duration');
    if (duration === undefined || billed === undefined) {
      throw new LogParseError(
        `The REPORT line lacks "Duration" or "Billed Duration": ${JSON.stringify(line.slice(0, 200))}`,
      );
    }
    const parsed: ParsedLog = {
      durationMs: duration,
      billedDurationMs: billed,
      initDurationMs: fields.get('Init Duration') ?? 0,
      restoreDurationMs: fields.get('Restore Duration') ?? 0,
      billedRestoreDurationMs: fields.get('Billed Restore Duration') ?? 0,
      format: 'text',
    };
    const memorySize = fields.get('Memory Size');
    const maxMemoryUsed = fields.get('Max Memory Used');
    if (memorySize !== undefined) parsed.memorySizeMb = memorySize;
    if (maxMemoryUsed !== undefined) parsed.maxMemoryUsedMb = maxMemoryUsed;
    return parsed;
  }
  return undefined;
}

// ---- Per-invocation figures --------------------------------------------------------------

export interface InvocationMetrics {
  /** Duration + Init + Restore. */
  durationMs: number;
  /** Billed + Billed Restore. */
  billedMs: number;
  initMs: number;
  coldStart: boolean;
}

/** Lambda reports at most 3 decimals; rounding the sum drops float noise like 570.3899999999999. */
const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

export function invocationMetrics(parsed: ParsedLog): InvocationMetrics {
  return {
    durationMs: roundMs(parsed.durationMs + parsed.initDurationMs + parsed.restoreDurationMs),
    billedMs: parsed.billedDurationMs + parsed.billedRestoreDurationMs,
    initMs: parsed.initDurationMs,
    coldStart: parsed.initDurationMs > 0,
  };
}
