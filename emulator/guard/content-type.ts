/**
 * Body media types. Browsers send text/plain, form and multipart bodies to any address without
 * asking first; the AWS SDK never does, so anything else is refused before the body is read.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** What `@aws-sdk/client-lambda` sends: JSON for the control plane, the raw payload for Invoke. */
export const CONTROL_TYPES: readonly string[] = ['application/json'];
export const INVOKE_TYPES: readonly string[] = ['application/octet-stream', 'application/json'];

const mediaType = (header: string): string => (header.split(';')[0] ?? '').trim().toLowerCase();

function declaresBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && Number(length) !== 0;
}

/**
 * Why the request's Content-Type is not acceptable, or undefined when it is. A request without a
 * body may omit it (other AWS clients send none for an empty Invoke payload).
 */
export function contentTypeProblem(
  headers: IncomingHttpHeaders,
  accepted: readonly string[],
): string | undefined {
  const declared = headers['content-type'];
  if (declared === undefined) {
    return declaresBody(headers) ? `a request body needs Content-Type ${accepted.join(' or ')}` : undefined;
  }
  if (accepted.includes(mediaType(declared))) return undefined;
  return `Content-Type '${declared}' is not accepted here; send ${accepted.join(' or ')}`;
}
