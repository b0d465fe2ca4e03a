/** The Invoke operation: resolve the target, check state and concurrency, run it, answer like Lambda. */
import { randomUUID } from 'node:crypto';
import { abortableSleep } from '../abortable-sleep.js';
import {
  conflict,
  invalidContent,
  invalidParameter,
  requestTooLarge,
  tooManyRequests,
} from '../http/errors.js';
import { parseFunctionRef } from '../http/function-name.js';
import type { ApiResponse } from '../http/response.js';
import type { Registry, ResolvedTarget } from '../model/registry.js';
import { billedFor } from './cpu-model.js';
import type { HandlerExecutor } from './handler-executor.js';
import { invocationLog, logTail } from './log-format.js';
import type { InvocationOutcome } from './outcome.js';
import type { Random } from './prng.js';
import type { SyntheticExecutor } from './synthetic-executor.js';

export const INVOKE_PAYLOAD_LIMIT = 6 * 1024 * 1024;

export interface InvokeDeps {
  registry: Registry;
  synthetic: SyntheticExecutor;
  handlers: HandlerExecutor;
  timeScale: () => number;
  concurrencyLimit: number;
  /** Shared in-flight counter (account level). */
  inFlight: { count: number };
  /** Seeded draws for weighted alias routing. */
  routingRandom: Random;
  /** Bill the Init Duration of cold starts (AWS does since August 2025). */
  billInit: boolean;
  /** Aborted when the emulator stops, to cut emulated waits short. */
  signal: AbortSignal;
}

export interface InvokeRequest {
  functionName: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  tooLarge: boolean;
}

const header = (h: InvokeRequest['headers'], name: string): string | undefined => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Key of a version's environments; it changes when $LATEST's configuration or the code changes. */
export const environmentKey = (t: ResolvedTarget): string =>
  `${t.fn.name}\u0000${t.version.version}\u0000${t.version.generation}\u0000${t.version.code.sha256}`;

function parsePayload(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw invalidContent(
      `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`,
    );
  }
}

async function execute(
  deps: InvokeDeps,
  t: ResolvedTarget,
  requestId: string,
  event: unknown,
): Promise<{ outcome: InvocationOutcome; release: () => void }> {
  const { registry } = deps;
  const v = t.version;
  const key = environmentKey(t);
  if (v.code.kind === 'synthetic') {
    return deps.synthetic.run({
      key,
      functionName: t.fn.name,
      version: v.version,
      profile: v.code.profile,
      memorySize: v.settings.memorySize,
      timeoutSeconds: v.settings.timeout,
      requestId,
      logFormat: v.settings.logFormat,
      architecture: v.settings.architectures[0] ?? 'x86_64',
    });
  }
  return deps.handlers.run({
    key,
    requestId,
    event,
    invokedFunctionArn: registry.arn(t.fn.name, t.arnQualifier),
    timeoutSeconds: v.settings.timeout,
    spec: {
      functionName: t.fn.name,
      version: v.version,
      directory: v.code.directory,
      handler: v.code.handler,
      logFormat: v.settings.logFormat,
      memorySize: v.settings.memorySize,
      environment: v.settings.environment,
      region: registry.scope.region,
    },
  });
}

function record(registry: Registry, t: ResolvedTarget, outcome: InvocationOutcome): void {
  const billed = outcome.billedMs ?? 0;
  for (const stats of [t.version.stats, t.fn.totals, registry.totals]) {
    stats.invocations += 1;
    if (outcome.error) stats.errors += 1;
    if (outcome.initMs !== undefined) stats.coldStarts += 1;
    stats.billedMs += billed;
    stats.billedGbSeconds += (billed / 1000) * (t.version.settings.memorySize / 1024);
  }
}

const RESPONSE_LIMIT = 6 * 1024 * 1024;

/** An alias with AdditionalVersionWeights sends that share of calls to the extra version. */
function routeAlias(t: ResolvedTarget, random: Random): ResolvedTarget {
  const alias = t.arnQualifier === undefined ? undefined : t.fn.aliases.get(t.arnQualifier);
  const weights = Object.entries(alias?.routingConfig?.AdditionalVersionWeights ?? {});
  if (weights.length === 0) return t;
  const draw = random();
  let cumulative = 0;
  for (const [version, weight] of weights) {
    cumulative += weight;
    const record = t.fn.versions.get(version);
    if (draw < cumulative && record) return { ...t, version: record };
  }
  return t;
}

export async function handleInvoke(req: InvokeRequest, deps: InvokeDeps): Promise<ApiResponse> {
  if (req.tooLarge) throw requestTooLarge(INVOKE_PAYLOAD_LIMIT, 'Invoke');
  const { registry } = deps;
  const ref = parseFunctionRef(req.functionName, req.query.get('Qualifier') ?? undefined, registry.scope);
  const t = routeAlias(registry.resolve(ref), deps.routingRandom);
  const invocationType = header(req.headers, 'X-Amz-Invocation-Type') ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    throw invalidParameter(
      `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, got: ${invocationType}`,
    );
  }
  const logType = header(req.headers, 'X-Amz-Log-Type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') {
    throw invalidParameter(`X-Amz-Log-Type must be None or Tail, got: ${logType}`);
  }
  const event = parsePayload(req.body);
  if (registry.isPending(t.version)) {
    throw conflict(
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    );
  }
  if (invocationType === 'DryRun')
    return { status: 204, headers: { 'X-Amz-Executed-Version': t.version.version } };
  if (deps.inFlight.count >= deps.concurrencyLimit)
    throw tooManyRequests('ConcurrentInvocationLimitExceeded', 1);

  deps.inFlight.count += 1;
  const requestId = randomUUID();
  const started = performance.now();
  const run = async (): Promise<InvocationOutcome> => {
    let lease: { outcome: InvocationOutcome; release: () => void } | undefined;
    try {
      lease = await execute(deps, t, requestId, event);
      lease.outcome.billedMs = billedFor(lease.outcome.durationMs, lease.outcome.initMs, deps.billInit);
      record(registry, t, lease.outcome);
      // The answer arrives after the emulated time (init included), scaled; real time already spent counts.
      const emulated = lease.outcome.durationMs + (lease.outcome.initMs ?? 0);
      const wait = emulated * deps.timeScale() - (performance.now() - started);
      if (wait > 0) await abortableSleep(wait, deps.signal);
      return lease.outcome;
    } finally {
      lease?.release();
      deps.inFlight.count -= 1;
    }
  };

  if (invocationType === 'Event') {
    run().catch(() => {
      /* asynchronous calls have nobody to report to */
    });
    return { status: 202, headers: { 'Content-Length': '0' } };
  }

  const outcome = await run();
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': t.version.version,
  };
  let body = outcome.payload ?? 'null';
  let error = outcome.error;
  if (!error && Buffer.byteLength(body) > RESPONSE_LIMIT) {
    error = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT} bytes).`,
      trace: [],
    };
  }
  if (error) {
    headers['X-Amz-Function-Error'] = 'Unhandled';
    body = JSON.stringify(
      error.trace.length > 0
        ? { errorType: error.errorType, errorMessage: error.errorMessage, trace: error.trace }
        : { errorType: error.errorType, errorMessage: error.errorMessage },
    );
  }
  if (logType === 'Tail') {
    const log = invocationLog(
      {
        requestId,
        version: t.version.version,
        memorySize: t.version.settings.memorySize,
        format: t.version.settings.logFormat,
        region: registry.scope.region,
        now: new Date(),
      },
      outcome,
    );
    headers['X-Amz-Log-Result'] = logTail(log);
  }
  return { status: 200, headers, body };
}
