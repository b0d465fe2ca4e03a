/**
 * Who may talk to the emulator at all. It runs code it is sent, so a web page must not reach it:
 * requests from browser origins and with foreign Host names are refused, and with a token set
 * every request must present it. Checked before the body is read or anything runs.
 */
import type { IncomingMessage } from 'node:http';
import { isCodeDownload } from '../code/code-location.js';
import { accessDenied, type LambdaError, unrecognizedClient } from '../http/errors.js';
import { hostAllowed, hostNameOfBind } from './loopback.js';
import { presentedToken, sameToken, tokenProblem } from './token.js';

export interface GuardPolicy {
  /** When set, every request must present it (see token.ts). */
  token?: string;
  /** Exact `Origin` values accepted; any other Origin is refused. */
  allowedOrigins: readonly string[];
  /** Host names accepted besides loopback ones; `*` = any. */
  allowedHosts: readonly string[];
}

export interface GuardSettings {
  token?: string;
  allowedOrigins?: readonly string[];
  allowedHosts?: readonly string[];
  /** The address the server binds; it is accepted as Host too. */
  bindHost: string;
}

const normalizeOrigin = (origin: string): string => origin.trim().replace(/\/+$/, '').toLowerCase();

export function guardPolicy(settings: GuardSettings): GuardPolicy {
  if (settings.token !== undefined) {
    const problem = tokenProblem(settings.token);
    if (problem) throw new Error(problem);
  }
  return {
    ...(settings.token !== undefined ? { token: settings.token } : {}),
    allowedOrigins: (settings.allowedOrigins ?? []).map(normalizeOrigin),
    allowedHosts: [...(settings.allowedHosts ?? []), hostNameOfBind(settings.bindHost)],
  };
}

/** Browsers mark requests that another site started; a page's Origin is absent on some of them. */
const CROSS_SITE = new Set(['cross-site', 'same-site']);

/** The request's path as the server will route it (same parser), or undefined when it has none. */
export function requestPathname(rawUrl: string | undefined): string | undefined {
  try {
    return new URL(rawUrl ?? '/', 'http://emulator').pathname;
  } catch {
    return undefined;
  }
}

/**
 * A GET of a presigned code link (GetFunction's Code.Location) carries its authorization in its
 * signed query, like an S3 presigned URL, so it needs no token; the link's own check refuses a
 * forged, altered or expired one. Host and Origin checks still apply to it.
 */
function presignedDownload(req: IncomingMessage): boolean {
  const pathname = requestPathname(req.url);
  return pathname !== undefined && isCodeDownload(req.method, pathname);
}

/** The refusal for this request, or undefined when it may go on. */
export function refusal(req: IncomingMessage, policy: GuardPolicy): LambdaError | undefined {
  const host = req.headers.host;
  if (!hostAllowed(host, req.socket.localPort ?? 0, policy.allowedHosts)) {
    return accessDenied(
      `Host '${host ?? ''}' is not served by this emulator; use 127.0.0.1, localhost or [::1] with its port, or start it with --allow-host`,
    );
  }
  const origin = req.headers.origin;
  const originAllowed = origin !== undefined && policy.allowedOrigins.includes(normalizeOrigin(origin));
  if (origin !== undefined && !originAllowed) {
    return accessDenied(
      `Requests from web pages are refused (Origin '${origin}'); start with --allow-origin to permit one`,
    );
  }
  const site = req.headers['sec-fetch-site'];
  if (!originAllowed && typeof site === 'string' && CROSS_SITE.has(site)) {
    return accessDenied('Requests started by another web site are refused');
  }
  if (
    policy.token !== undefined &&
    !presignedDownload(req) &&
    !sameToken(presentedToken(req.headers.authorization), policy.token)
  ) {
    return unrecognizedClient(
      'The security token included in the request is invalid: use the emulator token as the access key id, or send Authorization: Bearer <token>',
    );
  }
  return undefined;
}
