/**
 * One measured invocation: optional pre-processor, the function itself (with its log tail),
 * optional post-processor. Returns what the REPORT line says, and the function's error if any.
 */
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { LogParseError, invocationMetrics } from '../domain/logs.js';
import {
  formatInvocationError,
  formatProcessorError,
  parseFunctionError,
  redactFunctionError,
} from '../domain/invocation-error.js';
import { payloadRedactor, type Redactor } from '../domain/redact.js';
import type { InvocationResult } from '../domain/types.js';
import { rethrowAws } from './aws/errors.js';
import { withRetries } from './aws/retry.js';
import { readLogTail } from './log-tail.js';

export interface InvokeOneInput {
  lambda: LambdaClient;
  functionName: string;
  alias: string;
  payload: string | undefined;
  preProcessorARN?: string;
  postProcessorARN?: string;
  allowedExceptions: string[];
  disablePayloadLogs: boolean;
  parallel: boolean;
  /** Absent: the call is never aborted, and the SDK attaches no abort listener to it. */
  signal?: AbortSignal;
}

export interface InvokeOneResult {
  result: InvocationResult;
  /** Message for an error outside allowedExceptions: it makes this power value infeasible. */
  failure?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A batch sends the same body over and over: encode it once, not per invocation. */
let lastBody: string | undefined;
let lastBytes: Uint8Array | undefined;
function bodyBytes(body: string): Uint8Array {
  if (lastBytes === undefined || body !== lastBody) {
    lastBody = body;
    lastBytes = encoder.encode(body);
  }
  return lastBytes;
}

async function send(
  lambda: LambdaClient,
  signal: AbortSignal | undefined,
  params: { FunctionName: string; Qualifier?: string; Payload?: string; LogType?: 'Tail' },
): Promise<InvokeCommandOutput> {
  const command = new InvokeCommand({
    FunctionName: params.FunctionName,
    Qualifier: params.Qualifier,
    InvocationType: 'RequestResponse',
    LogType: params.LogType,
    Payload: params.Payload === undefined ? undefined : bodyBytes(params.Payload),
  });
  try {
    return await withRetries(() => lambda.send(command, signal ? { abortSignal: signal } : {}));
  } catch (err) {
    if (signal?.aborted) throw err;
    rethrowAws(err, `Invoking ${params.FunctionName}${params.Qualifier ? `:${params.Qualifier}` : ''}`);
  }
}

const text = (bytes: Uint8Array | undefined): string => (bytes ? decoder.decode(bytes) : '');

/**
 * Redactors of recent payloads: every invocation of a batch sends the same few bodies, and
 * collecting a large payload's fragments on each error would cost more than the invocation.
 * Small, because a redactor holds a copy of its payload's text.
 */
const recentRedactors = new Map<string, Redactor>();
const RECENT_REDACTORS = 4;

function redactorFor(bodies: (string | undefined)[]): Redactor {
  const key = JSON.stringify(bodies);
  let redact = recentRedactors.get(key);
  if (redact === undefined) {
    redact = payloadRedactor(bodies);
    if (recentRedactors.size >= RECENT_REDACTORS) {
      recentRedactors.delete(recentRedactors.keys().next().value as string);
    }
    recentRedactors.set(key, redact);
  }
  return redact;
}

/**
 * With disablePayloadLogs, the text of every body that may be echoed back (the payload as given,
 * as a pre-processor changed it, a processor's input) is redacted from error messages.
 * Undefined without the flag. Built on first use: most invocations have nothing to redact.
 */
function hider(input: InvokeOneInput, bodies: () => (string | undefined)[]): (() => Redactor) | undefined {
  if (!input.disablePayloadLogs) return undefined;
  return () => redactorFor(bodies());
}

/**
 * Rethrows an error of a call whose message may quote the payload (the Lambda service's own
 * errors, such as a rejected request body, do), redacted. Cancellations pass unchanged.
 */
function rethrowRedacted(
  err: unknown,
  hide: (() => Redactor) | undefined,
  signal: AbortSignal | undefined,
): never {
  if (hide === undefined || signal?.aborted || !(err instanceof Error)) throw err;
  const redact = hide();
  const message = redact(err.message);
  if (message === err.message) throw err;
  // A new failure, not an edited one: the stack trace repeats the original message.
  if (err instanceof ApplicationFailure) {
    throw ApplicationFailure.create({
      message,
      type: err.type ?? undefined,
      nonRetryable: err.nonRetryable ?? undefined,
    });
  }
  throw ApplicationFailure.retryable(message, err.name);
}

async function runProcessor(
  input: InvokeOneInput,
  kind: 'pre' | 'post',
  arn: string,
  payload: string | undefined,
  bodies: (string | undefined)[],
): Promise<string> {
  const hide = hider(input, () => bodies);
  let response: InvokeCommandOutput;
  try {
    response = await send(input.lambda, input.signal, { FunctionName: arn, Payload: payload });
  } catch (err) {
    rethrowRedacted(err, hide, input.signal);
  }
  const body = text(response.Payload);
  if (response.FunctionError) {
    throw ApplicationFailure.nonRetryable(
      formatProcessorError({
        kind,
        processorArn: arn,
        payload,
        disablePayloadLogs: input.disablePayloadLogs,
        error: parseFunctionError(body, response.FunctionError),
        redact: hide?.(),
      }),
      'ProcessorError',
    );
  }
  return body;
}

export async function invokeOnce(input: InvokeOneInput): Promise<InvokeOneResult> {
  let payload = input.payload;
  if (input.preProcessorARN) {
    const produced = await runProcessor(input, 'pre', input.preProcessorARN, payload, [payload]);
    // Only a real value replaces the payload: a void handler answers `null` (upstream bug).
    if (produced.trim() !== '' && produced.trim() !== 'null') payload = produced;
  }
  // What the function may echo: the payload it got, and the one given before pre-processing.
  const sent = payload === input.payload ? [payload] : [input.payload, payload];
  const hide = hider(input, () => sent);

  let response: InvokeCommandOutput;
  try {
    response = await send(input.lambda, input.signal, {
      FunctionName: input.functionName,
      Qualifier: input.alias,
      Payload: payload,
      LogType: 'Tail',
    });
  } catch (err) {
    rethrowRedacted(err, hide, input.signal);
  }
  // The function's output is read only when something needs it: a post-processor or an error.
  const needsOutput = Boolean(input.postProcessorARN || response.FunctionError);
  const output = needsOutput ? text(response.Payload) : '';

  let metrics;
  try {
    metrics = invocationMetrics(readLogTail(response.LogResult));
  } catch (err) {
    if (err instanceof LogParseError) {
      // The message quotes the log tail, where the function may have printed its event.
      const message = `Cannot read the duration of ${input.functionName}:${input.alias} from its log: ${err.message}`;
      throw ApplicationFailure.nonRetryable(hide ? hide()(message) : message, 'LogParseError');
    }
    throw err;
  }

  if (input.postProcessorARN) {
    // The post-processor's input is the function's output, which may carry the payload too.
    await runProcessor(input, 'post', input.postProcessorARN, output, [...sent, output]);
  }

  const result: InvocationResult = { ...metrics };
  if (!response.FunctionError) return { result };

  const raw = parseFunctionError(output, response.FunctionError);
  // The real type decides; only what is stored and shown is redacted.
  const allowed = input.allowedExceptions.includes(raw.errorType);
  const error = hide ? redactFunctionError(raw, hide()) : raw;
  // Kept short: every invocation's result goes into workflow history.
  result.error = { type: error.errorType, message: error.errorMessage.slice(0, 300), allowed };
  if (allowed) return { result };
  const failure = formatInvocationError({
    parallel: input.parallel,
    payload,
    disablePayloadLogs: input.disablePayloadLogs,
    error: raw,
    redact: hide?.(),
  });
  return { result, failure };
}
