/**
 * Who signed a request: the access key id of its SigV4 credential, which every AWS SDK sends in
 * clear (`Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request,
 * …`, or `X-Amz-Credential` in a presigned URL). The signature is not checked, as before; the key id
 * only lets the event log say whose credentials each call carried.
 */
import type { IncomingHttpHeaders } from 'node:http';

const SIGV4_HEADER = /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\//;

/** The key id of a SigV4 Authorization header value, if it is one. */
export function sigV4AccessKeyId(authorization: string | undefined): string | undefined {
  return SIGV4_HEADER.exec(authorization?.trim() ?? '')?.[1];
}

/** The key id a request was signed with (header, else presigned query), if it was signed. */
export function callerAccessKeyId(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const fromHeader = sigV4AccessKeyId(headers.authorization);
  if (fromHeader !== undefined) return fromHeader;
  const credential = query.get('X-Amz-Credential');
  const keyId = credential?.split('/')[0];
  return keyId ? keyId : undefined;
}
