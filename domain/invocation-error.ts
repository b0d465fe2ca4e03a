/** Failure messages for function errors that are not in allowedExceptions. */

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
 * `Invocation error (running in series|parallel)[ with payload <json>] - original error type:
 * "<t>", original error message: "<m>", trace: <json>`. The payload is the JSON body as sent
 * (not re-encoded as a string, unlike the original) and is left out with disablePayloadLogs.
 */
export function formatInvocationError(options: {
  parallel: boolean;
  payload: string | undefined;
  disablePayloadLogs: boolean;
  error: FunctionErrorDetails;
}): string {
  const mode = options.parallel ? 'parallel' : 'series';
  return `Invocation error (running in ${mode})${payloadPart(options.payload, options.disablePayloadLogs)}${errorSuffix(options.error)}`;
}

/** `PreProcessor <arn> failed[ with payload <json>] - original error type: …`. */
export function formatProcessorError(options: {
  kind: 'pre' | 'post';
  processorArn: string;
  payload: string | undefined;
  disablePayloadLogs: boolean;
  error: FunctionErrorDetails;
}): string {
  const label = options.kind === 'pre' ? 'PreProcessor' : 'PostProcessor';
  return `${label} ${options.processorArn} failed${payloadPart(options.payload, options.disablePayloadLogs)}${errorSuffix(options.error)}`;
}
