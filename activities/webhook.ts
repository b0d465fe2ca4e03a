/**
 * Tells a webhook that a scheduled run drifted: one POST of the drift notice. With payload
 * encryption on, the body is the notice as a codec-encoded Temporal payload, in the codec
 * server's JSON form (`{"payloads": [...]}`, which its `/decode` turns back into the notice), so
 * what the runs keep encrypted never leaves in clear text. Each attempt is bounded in time; the
 * workflow bounds the attempts, and a webhook that fails never fails the tuning.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import { payloadsToJson } from '../codec/server.js';
import type { DriftNotice } from '../domain/drift.js';
import type { FleetDriftNotice } from '../domain/fleet-drift.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookRequest {
  url: string;
  notice: DriftNotice | FleetDriftNotice;
}

export interface WebhookDelivery {
  /** The receiver's HTTP status (2xx). */
  status: number;
  /** True when the body was codec-encoded. */
  encoded: boolean;
}

/** The body: the notice as JSON, or the codec-encoded payload in the codec server's JSON form. */
export async function webhookBody(
  notice: DriftNotice | FleetDriftNotice,
  codecs: readonly PayloadCodec[],
): Promise<string> {
  if (codecs.length === 0) return JSON.stringify(notice);
  let payloads = [defaultPayloadConverter.toPayload(notice)];
  for (const codec of codecs) payloads = await codec.encode(payloads);
  return JSON.stringify(payloadsToJson(payloads));
}

/** Statuses worth another attempt: the receiver may answer later. */
const RETRYABLE_STATUS = new Set([408, 425, 429]);

/**
 * One POST. 2xx is delivered; 408, 429 and 5xx, timeouts and network errors are retryable
 * failures; any other status (the receiver refused the request) is final.
 */
export async function postWebhook(
  request: WebhookRequest,
  opts: { codecs: readonly PayloadCodec[]; timeoutMs?: number; signal?: AbortSignal },
): Promise<WebhookDelivery> {
  const body = await webhookBody(request.notice, opts.codecs);
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'powertune-drift-webhook' },
      body,
      signal,
      // A redirect could carry the body elsewhere; the URL given is the one that gets it.
      redirect: 'manual',
    });
  } catch (err) {
    const why = timeout.aborted
      ? `no answer within ${opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS} ms`
      : (err as Error).message;
    throw ApplicationFailure.retryable(`webhook ${hostOf(request.url)}: ${why}`, 'WebhookUnreachable');
  }
  // The answer's body is not needed; release the connection.
  await response.body?.cancel().catch(() => undefined);
  const encoded = opts.codecs.length > 0;
  if (response.status >= 200 && response.status < 300) return { status: response.status, encoded };
  const message = `webhook ${hostOf(request.url)} answered HTTP ${response.status}`;
  if (response.status >= 500 || RETRYABLE_STATUS.has(response.status))
    throw ApplicationFailure.retryable(message, 'WebhookUnavailable');
  throw ApplicationFailure.nonRetryable(message, 'WebhookRejected');
}

/** Host and port only: the path and query of a webhook URL often hold its secret. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

/** The codecs of the worker's own client: the worker's data converter. */
function workerCodecs(): readonly PayloadCodec[] {
  return Context.current().client.options.loadedDataConverter.payloadCodecs;
}

export function webhookActivities(codecs: () => readonly PayloadCodec[] = workerCodecs) {
  return {
    async sendDriftWebhook(request: WebhookRequest): Promise<WebhookDelivery> {
      return postWebhook(request, { codecs: codecs(), signal: Context.current().cancellationSignal });
    },
  };
}
