/**
 * Codec server for the Temporal Web UI and CLI: `POST /encode` and `POST /decode` take and return
 * `{ "payloads": [{ "metadata": { "<key>": "<base64>" }, "data": "<base64>" }] }` (protobuf JSON of
 * Payloads). Browsers call it cross-origin, so it answers CORS preflights for the configured origins.
 *
 * It decrypts for whoever reaches it, so: other web pages (foreign Origin, cross-site requests,
 * browser-only body types) and foreign Host names (DNS rebinding) are refused, and it will not
 * listen beyond loopback without a token.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { BlockList, isIP, type AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { isPlainObject } from '../domain/json.js';
import { PayloadDecryptionError } from './aes-gcm-codec.js';

export const DEFAULT_UI_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const ALLOWED_HEADERS = 'x-namespace, content-type, authorization';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Browser origins allowed to call the server; `*` allows any. Default: the dev server's UI. */
  origins?: string[];
  /** When set, every POST must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Larger request bodies are refused with 413. */
  maxBodyBytes?: number;
  /**
   * Host header names accepted besides 127.0.0.1, localhost and [::1] (with the port the request
   * came in on, unless the entry names one); `*` = any. startCodecServer uses `*` off loopback.
   */
  allowedHosts?: string[];
}

/** A request the server refuses, with the status and message sent back. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function base64Field(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new HttpError(400, `${where}: expected a base64 string`);
  }
  return Buffer.from(value, 'base64');
}

/** Validates the JSON body and turns it into SDK Payloads. */
export function payloadsFromJson(body: unknown): Payload[] {
  if (!isPlainObject(body) || !Array.isArray(body['payloads'])) {
    throw new HttpError(400, 'body: expected {"payloads": [{"metadata": {...}, "data": "<base64>"}]}');
  }
  return body['payloads'].map((item: unknown, i) => {
    const where = `payloads[${i}]`;
    if (!isPlainObject(item)) throw new HttpError(400, `${where}: expected an object`);
    const metadata: Record<string, Uint8Array> = {};
    const rawMetadata = item['metadata'] ?? {};
    if (!isPlainObject(rawMetadata)) throw new HttpError(400, `${where}.metadata: expected an object`);
    for (const [key, value] of Object.entries(rawMetadata)) {
      metadata[key] = base64Field(value, `${where}.metadata.${key}`);
    }
    const data = item['data'] === undefined ? new Uint8Array() : base64Field(item['data'], `${where}.data`);
    return { metadata, data };
  });
}

export function payloadsToJson(payloads: Payload[]): {
  payloads: { metadata: Record<string, string>; data: string }[];
} {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? []).toString('base64'),
    })),
  };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `body: larger than the ${limit}-byte limit`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `body: larger than the ${limit}-byte limit`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const loopbackAddresses = new BlockList();
loopbackAddresses.addSubnet('127.0.0.0', 8, 'ipv4');
loopbackAddresses.addAddress('::1', 'ipv6');

/** True when binding `host` keeps the server unreachable from other machines. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && loopbackAddresses.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

const HOST_SYNTAX = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/;
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * DNS rebinding guard: a page whose name was re-pointed at 127.0.0.1 still sends its own name as
 * Host, so only the names a local client really dials (on this port) are served.
 */
function hostAllowed(header: string | undefined, localPort: number, extra: string[]): boolean {
  if (extra.includes('*')) return true;
  const presented = HOST_SYNTAX.exec(header?.trim().toLowerCase() ?? '');
  if (!presented) return false;
  const port = presented[2] === undefined ? 80 : Number(presented[2]);
  return [...LOOPBACK_NAMES, ...extra].some((entry) => {
    const want = HOST_SYNTAX.exec(entry.trim().toLowerCase());
    if (!want || want[1] !== presented[1]) return false;
    return (want[2] === undefined ? localPort : Number(want[2])) === port;
  });
}

/** Browsers mark requests that another site started, also those that carry no Origin. */
const CROSS_SITE = new Set(['cross-site', 'same-site']);

/** Constant-time comparison of the presented bearer token with the configured one. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(match[1].trim()), digest(token));
}

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Refusals and undecryptable payloads are the caller's problem (4xx); anything else is ours (500). */
function errorResponse(err: unknown): { status: number; message: string } {
  if (err instanceof HttpError) return { status: err.status, message: err.message };
  if (err instanceof PayloadDecryptionError) return { status: 400, message: err.message };
  // Unexpected: log it here rather than send internals to the caller.
  console.error('codec server:', err);
  return { status: 500, message: 'internal error while running the codec' };
}

export function createCodecRequestHandler(
  opts: CodecServerOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const origins = opts.origins ?? DEFAULT_UI_ORIGINS;
  const anyOrigin = origins.includes('*');
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const hosts = opts.allowedHosts ?? [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, req.socket.localPort ?? 0, hosts)) {
      throw new HttpError(
        403,
        `host '${req.headers.host ?? ''}' is not served here (use 127.0.0.1, localhost or [::1])`,
      );
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (origin === undefined && typeof site === 'string' && CROSS_SITE.has(site)) {
      throw new HttpError(403, 'requests started by another web site are refused');
    }
    if (origin !== undefined) {
      // Requests without Origin come from the CLI or scripts; browsers always send it cross-origin.
      if (!anyOrigin && !origins.includes(origin)) {
        throw new HttpError(403, `origin '${origin}' is not allowed (allowed: ${origins.join(', ')})`);
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
    }
    const path = new URL(req.url ?? '/', 'http://codec.invalid').pathname;
    const action = path === '/encode' ? 'encode' : path === '/decode' ? 'decode' : undefined;
    if (!action) throw new HttpError(404, `no route for ${path}: use POST /encode or POST /decode`);

    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
      send(res, 204);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST, OPTIONS');
      throw new HttpError(405, `${req.method ?? 'unknown method'} ${path}: only POST is accepted`);
    }
    if (opts.authToken !== undefined && !tokenMatches(req.headers.authorization, opts.authToken)) {
      res.setHeader('www-authenticate', 'Bearer');
      throw new HttpError(401, 'authorization: expected "Bearer <token>" matching PT_CODEC_AUTH_TOKEN');
    }
    // The UI and the CLI send JSON; a page's form or text/plain post is never read.
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new HttpError(
        415,
        `content-type: expected application/json, got '${req.headers['content-type'] ?? ''}'`,
      );
    }

    const raw = await readBody(req, limit);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new HttpError(400, `body: not valid JSON (${(err as Error).message})`);
    }
    const payloads = payloadsFromJson(body);
    const out = action === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
    send(res, 200, payloadsToJson(out));
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const { status, message } = errorResponse(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // After an early refusal the rest of the body is not read: close instead of keeping the socket.
      if (!req.complete) res.setHeader('connection', 'close');
      send(res, status, { error: message });
    });
  };
}

export interface RunningCodecServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the codec server; `port: 0` picks a free port. Binds loopback unless `host` says otherwise,
 * which needs a token; so does allowing any origin (`*`).
 */
export async function startCodecServer(
  opts: CodecServerOptions & { port?: number; host?: string },
): Promise<RunningCodecServer> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  if (!opts.authToken && !loopback) {
    throw new Error(
      `refusing to listen on ${host} without a token: set PT_CODEC_AUTH_TOKEN or bind 127.0.0.1`,
    );
  }
  if (!opts.authToken && opts.origins?.includes('*')) {
    throw new Error(`refusing to allow any origin ('*') without a token: set PT_CODEC_AUTH_TOKEN`);
  }
  // The bound name itself is always fine; off loopback the names clients use are unknown here,
  // so unless they are listed the Host check is off there and the token guards that case.
  const bound = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const allowedHosts = opts.allowedHosts ? [...opts.allowedHosts, bound] : loopback ? [bound] : ['*'];
  const server = http.createServer(createCodecRequestHandler({ ...opts, allowedHosts }));
  // Malformed HTTP from a client must not take the process down.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8888, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
