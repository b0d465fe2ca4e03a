/**
 * The invocation log as Lambda writes it, in Text or JSON format, and the 4 KB tail that
 * `LogType: Tail` returns in X-Amz-Log-Result.
 */
import type { LogFormat } from '../model/types.js';
import type { InvocationOutcome } from './outcome.js';

export const RUNTIME_VERSION = 'nodejs:20.v48';
const RUNTIME_VERSION_ARN = (region: string): string =>
  `arn:aws:lambda:${region}::runtime:0f6d7d0a5d7a7c1e5f0e9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e`;

export interface LogContext {
  requestId: string;
  version: string;
  memorySize: number;
  format: LogFormat;
  region: string;
  now: Date;
}

const fixed2 = (n: number): string => n.toFixed(2);
const billedOf = (o: InvocationOutcome): number => o.billedMs ?? Math.max(1, Math.ceil(o.durationMs - 1e-9));

function textLog(ctx: LogContext, o: InvocationOutcome): string[] {
  const id = ctx.requestId;
  const lines: string[] = [];
  if (o.initMs !== undefined) {
    lines.push(
      `INIT_START Runtime Version: ${RUNTIME_VERSION}\tRuntime Version ARN: ${RUNTIME_VERSION_ARN(ctx.region)}`,
    );
  }
  lines.push(`START RequestId: ${id} Version: ${ctx.version}`);
  lines.push(...o.functionLines, ...o.platformLines);
  lines.push(`END RequestId: ${id}`);
  let report =
    `REPORT RequestId: ${id}\tDuration: ${fixed2(o.durationMs)} ms\tBilled Duration: ${billedOf(o)} ms` +
    `\tMemory Size: ${ctx.memorySize} MB\tMax Memory Used: ${o.maxMemoryUsedMb} MB\t`;
  if (o.initMs !== undefined) report += `Init Duration: ${fixed2(o.initMs)} ms\t`;
  lines.push(report);
  return lines;
}

function jsonLog(ctx: LogContext, o: InvocationOutcome): string[] {
  const time = ctx.now.toISOString();
  const lines: string[] = [];
  if (o.initMs !== undefined) {
    lines.push(
      JSON.stringify({
        time,
        type: 'platform.initStart',
        record: {
          initializationType: 'on-demand',
          phase: 'init',
          runtimeVersion: RUNTIME_VERSION,
          runtimeVersionArn: RUNTIME_VERSION_ARN(ctx.region),
        },
      }),
    );
  }
  lines.push(
    JSON.stringify({
      time,
      type: 'platform.start',
      record: { requestId: ctx.requestId, version: ctx.version },
    }),
  );
  // Platform messages (timeout, crash) show up as the report's status and errorType in JSON format.
  lines.push(...o.functionLines);
  const metrics: Record<string, number> = {
    durationMs: o.durationMs,
    billedDurationMs: billedOf(o),
    memorySizeMB: ctx.memorySize,
    maxMemoryUsedMB: o.maxMemoryUsedMb,
  };
  if (o.initMs !== undefined) metrics.initDurationMs = o.initMs;
  const record: Record<string, unknown> = { requestId: ctx.requestId, metrics, status: o.status };
  if (o.error && o.status !== 'success') record.errorType = o.error.errorType;
  lines.push(JSON.stringify({ time, type: 'platform.report', record }));
  return lines;
}

export function invocationLog(ctx: LogContext, outcome: InvocationOutcome): string {
  const lines = ctx.format === 'JSON' ? jsonLog(ctx, outcome) : textLog(ctx, outcome);
  return `${lines.join('\n')}\n`;
}

/** Base64 of the last 4 KB of the log, cut from the start as Lambda does. */
export function logTail(log: string, limitBytes = 4096): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - limitBytes)).toString('base64');
}
