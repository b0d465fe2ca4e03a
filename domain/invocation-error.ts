/** Failure messages for function errors that are not in allowedExceptions. */
import { payloadRedactor, redactValue, type Redactor } from './redact.js';

/** What a Lambda function error payload carries (`{errorType, errorMessage, stackTrace}`). */
export interface FunctionErrorDetails {
  errorType: string;
  errorMessage: string;
  trace: unknown;
}

/** Payloads in messages are cut here: the message ends up in workflow history. */
export const MAX_PAYLOAD_IN_MESSAGE = 2048;

/**
 * Reads the response body of a failed invocation. Tolerates bodies that are not JSON (a
 * timeout or crash may leave plain text) and the FunctionError header as a fallback type.
 */
export function parseFunctionError(body: string | undefined, functionError?: string): FunctionErrorDetails {
  let parsed: unknown;
  try {
    parsed = body === undefined ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    return {
      errorType: typeof record.errorType === 'string' ? record.errorType : (functionError ?? 'Unknown'),
      errorMessage:
        typeof record.errorMessage === 'string'
          ? record.errorMessage
          : JSON.stringify(record.errorMessage ?? null),
      trace: record.stackTrace ?? record.trace ?? [],
    };
  }
  return { errorType: functionError ?? 'Unknown', errorMessage: body ?? '', trace: [] };
}

/**
 * The error with the payload's text taken out of its type, message and trace, for
 * disablePayloadLogs: a function that echoes its input must not put it into history.
 */
export function redactFunctionError(details: FunctionErrorDetails, redact: Redactor): FunctionErrorDetails {
  return {
    errorType: redact(details.errorType),
    errorMessage: redact(details.errorMessage),
    trace: redactValue(details.trace ?? [], redact),
  };
}

function errorSuffix(details: FunctionErrorDetails): string {
  return (
    ` - original error type: "${details.errorType}", original error message: "${details.errorMessage}",` +
    ` trace: ${JSON.stringify(details.trace ?? [])}`
  );
}

function payloadPart(payload: string | undefined, disablePayloadLogs: boolean): string {
  if (disablePayloadLogs || payload === undefined) return '';
  const shown =
    payload.length > MAX_PAYLOAD_IN_MESSAGE
      ? `${payload.slice(0, MAX_PAYLOAD_IN_MESSAGE)}…(truncated)`
      : payload;
  return ` with payload ${shown}`;
}

/**
 * With disablePayloadLogs, the error's parts are redacted before the trace is JSON-encoded (an
 * echo is found in its raw form), then the whole message once more. The redactor defaults to
 * one for `payload` alone.
 */
function hidePayload(
  options: { payload: string | undefined; disablePayloadLogs: boolean; redact?: Redactor },
  error: FunctionErrorDetails,
  build: (error: FunctionErrorDetails) => string,
): string {
  if (!options.disablePayloadLogs) return build(error);
  const redact = options.redact ?? payloadRedactor([options.payload]);
  return redact(build(redactFunctionError(error, redact)));
}

/**
 * `Invocation error (running in series|parallel)[ with payload <json>] - original error type:
 * "<t>", original error message: "<m>", trace: <json>`. The payload is the JSON body as sent
 * (not re-encoded as a string, unlike the original). With disablePayloadLogs it is left out,
 * and its text is redacted from the error (`redact`: the caller's redactor when the error may
 * echo more than `payload`, such as the payload before a pre-processor changed it).
 */
export function formatInvocationError(options: {
  parallel: boolean;
  payload: string | undefined;
  disablePayloadLogs: boolean;
  error: FunctionErrorDetails;
  redact?: Redactor;
}): string {
  const mode = options.parallel ? 'parallel' : 'series';
  return hidePayload(
    options,
    options.error,
    (error) =>
      `Invocation error (running in ${mode})${payloadPart(options.payload, options.disablePayloadLogs)}${errorSuffix(error)}`,
  );
}

/** `PreProcessor <arn> failed[ with payload <json>] - original error type: …`, redacted like formatInvocationError. */
export function formatProcessorError(options: {
  kind: 'pre' | 'post';
  processorArn: string;
  payload: string | undefined;
  disablePayloadLogs: boolean;
  error: FunctionErrorDetails;
  redact?: Redactor;
}): string {
  const label = options.kind === 'pre' ? 'PreProcessor' : 'PostProcessor';
  return hidePayload(
    options,
    options.error,
    (error) =>
      `${label} ${options.processorArn} failed${payloadPart(options.payload, options.disablePayloadLogs)}${errorSuffix(error)}`,
  );
}

/**
 * Failures of the environment rather than of the code: out of memory, timed out, killed. They
 * make a memory size unusable at once; other function errors are counted as an error rate.
 */
export function isResourceFailure(errorType: string): boolean {
  return /^(Sandbox\.Timedout|Runtime\.OutOfMemory|Runtime\.ExitError|Function\.ResponseSizeTooLarge)$/.test(
    errorType,
  );
}
