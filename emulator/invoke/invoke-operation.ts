/** The Invoke operation: resolve the target, check state and concurrency, run it, answer like Lambda. */
import { randomUUID } from 'node:crypto';
import { sleepUntil } from '../abortable-sleep.js';
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
  /** When the whole request had been read (performance.now() time): the emulated call starts then. */
  receivedAt: number;
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
  const run = async (): Promise<ApiResponse | undefined> => {
    let lease: { outcome: InvocationOutcome; release: () => void } | undefined;
    try {
      lease = await execute(deps, t, requestId, event);
      const { outcome } = lease;
      outcome.billedMs = billedFor(outcome.durationMs, outcome.initMs, deps.billInit);
      record(registry, t, outcome);
      // The answer is due the emulated time (init included), scaled, after the request was received:
      // never sooner, as on Lambda, where the reported Duration is part of what the caller waits.
      // It is built first, so that only writing it is left when that time has come.
      const emulated = outcome.durationMs + (outcome.initMs ?? 0);
      const dueAt = req.receivedAt + emulated * deps.timeScale();
      const answer =
        invocationType === 'Event'
          ? undefined
          : answerOf({ registry, t, requestId, logType, outcome, dueAt });
      await sleepUntil(dueAt, deps.signal);
      return answer;
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
  return (await run()) as ApiResponse;
}

/** The synchronous answer: the function's result or error, and the log tail when asked for. */
function answerOf(a: {
  registry: Registry;
  t: ResolvedTarget;
  requestId: string;
  logType: string;
  outcome: InvocationOutcome;
  /** When the answer will be written (performance.now() time): the JSON log's timestamps. */
  dueAt: number;
}): ApiResponse {
  const { t, outcome } = a;
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
  if (a.logType === 'Tail') {
    const log = invocationLog(
      {
        requestId: a.requestId,
        version: t.version.version,
        memorySize: t.version.settings.memorySize,
        format: t.version.settings.logFormat,
        region: a.registry.scope.region,
        now: new Date(Date.now() + Math.max(0, a.dueAt - performance.now())),
      },
      outcome,
    );
    headers['X-Amz-Log-Result'] = logTail(log);
  }
  return { status: 200, headers, body };
}
