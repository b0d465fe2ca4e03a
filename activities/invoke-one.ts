/**
 * One measured invocation: optional pre-processor, the function itself (with its log tail),
 * optional post-processor. Returns what the REPORT line says, and the function's error if any.
 */
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { LogParseError, invocationMetrics, parseInvocationLog } from '../domain/logs.js';
import {
  formatInvocationError,
  formatProcessorError,
  parseFunctionError,
} from '../domain/invocation-error.js';
import type { InvocationResult } from '../domain/types.js';
import { rethrowAws } from './aws-errors.js';
import { withRetries } from './retry.js';

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
  signal: AbortSignal;
}

export interface InvokeOneResult {
  result: InvocationResult;
  /** Message for an error outside allowedExceptions: it makes this power value infeasible. */
  failure?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function send(
  lambda: LambdaClient,
  signal: AbortSignal,
  params: { FunctionName: string; Qualifier?: string; Payload?: string; LogType?: 'Tail' },
): Promise<InvokeCommandOutput> {
  const command = new InvokeCommand({
    FunctionName: params.FunctionName,
    Qualifier: params.Qualifier,
    InvocationType: 'RequestResponse',
    LogType: params.LogType,
    Payload: params.Payload === undefined ? undefined : encoder.encode(params.Payload),
  });
  try {
    return await withRetries(() => lambda.send(command, { abortSignal: signal }));
  } catch (err) {
    if (signal.aborted) throw err;
    rethrowAws(err, `Invoking ${params.FunctionName}${params.Qualifier ? `:${params.Qualifier}` : ''}`);
  }
}

const text = (bytes: Uint8Array | undefined): string => (bytes ? decoder.decode(bytes) : '');

async function runProcessor(
  input: InvokeOneInput,
  kind: 'pre' | 'post',
  arn: string,
  payload: string | undefined,
): Promise<string> {
  const response = await send(input.lambda, input.signal, { FunctionName: arn, Payload: payload });
  const body = text(response.Payload);
  if (response.FunctionError) {
    throw ApplicationFailure.nonRetryable(
      formatProcessorError({
        kind,
        processorArn: arn,
        payload,
        disablePayloadLogs: input.disablePayloadLogs,
        error: parseFunctionError(body, response.FunctionError),
      }),
      'ProcessorError',
    );
  }
  return body;
}

export async function invokeOnce(input: InvokeOneInput): Promise<InvokeOneResult> {
  let payload = input.payload;
  if (input.preProcessorARN) {
    const produced = await runProcessor(input, 'pre', input.preProcessorARN, payload);
    // Only a real value replaces the payload: a void handler answers `null` (upstream bug).
    if (produced.trim() !== '' && produced.trim() !== 'null') payload = produced;
  }

  const response = await send(input.lambda, input.signal, {
    FunctionName: input.functionName,
    Qualifier: input.alias,
    Payload: payload,
    LogType: 'Tail',
  });
  const output = text(response.Payload);

  let metrics;
  try {
    metrics = invocationMetrics(parseInvocationLog(response.LogResult));
  } catch (err) {
    if (err instanceof LogParseError) {
      throw ApplicationFailure.nonRetryable(
        `Cannot read the duration of ${input.functionName}:${input.alias} from its log: ${err.message}`,
        'LogParseError',
      );
    }
    throw err;
  }

  if (input.postProcessorARN) await runProcessor(input, 'post', input.postProcessorARN, output);

  const result: InvocationResult = { ...metrics };
  if (!response.FunctionError) return { result };

  const error = parseFunctionError(output, response.FunctionError);
  const allowed = input.allowedExceptions.includes(error.errorType);
  // Kept short: every invocation's result goes into workflow history.
  result.error = { type: error.errorType, message: error.errorMessage.slice(0, 300), allowed };
  if (allowed) return { result };
  const failure = formatInvocationError({
    parallel: input.parallel,
    payload,
    disablePayloadLogs: input.disablePayloadLogs,
    error,
  });
  return { result, failure };
}
