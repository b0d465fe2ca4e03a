/**
 * The HTTP server: the Lambda REST API under /2015-03-31/ and the emulator's admin API under
 * /_emulator/. Every failure becomes an AWS-style error answer; nothing here may crash the process.
 * Every request passes the guard (guard/request-guard.ts) before its body is read.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { abortableSleep } from './abortable-sleep.js';
import { ADMIN_PREFIX, handleAdmin, type AdminDeps } from './admin/admin-api.js';
import type { EventLog } from './admin/event-log.js';
import type { FaultInjector } from './admin/faults.js';
import { isCodeLocationPath } from './code/code-location.js';
import { handleControlPlane, type ControlPlaneDeps } from './control-plane.js';
import { CONTROL_TYPES, contentTypeProblem, INVOKE_TYPES } from './guard/content-type.js';
import { refusal, type GuardPolicy } from './guard/request-guard.js';
import { readBody } from './http/body.js';
import { callerAccessKeyId } from './http/caller.js';
import {
  LambdaError,
  requestTooLarge,
  serviceError,
  tooManyRequests,
  unknownOperation,
  unsupportedMediaType,
} from './http/errors.js';
import { parseFunctionRef } from './http/function-name.js';
import type { ApiResponse } from './http/response.js';
import { route, type Route } from './http/router.js';
import { handleInvoke, INVOKE_PAYLOAD_LIMIT, type InvokeDeps } from './invoke/invoke-operation.js';

/** CreateFunction accepts zip files up to 50 MB, base64-encoded in JSON. */
const CONTROL_BODY_LIMIT = 70 * 1024 * 1024;

export interface ServerDeps {
  controlPlane: ControlPlaneDeps;
  invoke: InvokeDeps;
  admin: AdminDeps;
  events: EventLog;
  faults: FaultInjector;
  guard: GuardPolicy;
  signal: AbortSignal;
}

function errorResponse(err: LambdaError): ApiResponse {
  return {
    status: err.status,
    headers: { 'Content-Type': 'application/json', 'X-Amzn-ErrorType': err.errorType, ...err.extraHeaders },
    body: JSON.stringify(err.body()),
  };
}

function write(res: ServerResponse, r: ApiResponse): void {
  if (res.destroyed || res.headersSent) return;
  const body = r.body ?? '';
  res.writeHead(r.status, {
    'x-amzn-RequestId': randomUUID(),
    ...r.headers,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Answers without reading the body, and closes the connection so the unread body goes with it. */
function refuse(res: ServerResponse, err: LambdaError): void {
  const answer = errorResponse(err);
  write(res, { ...answer, headers: { ...answer.headers, Connection: 'close' } });
}

/** The plain function name for fault lookup and events; undefined when it cannot be parsed. */
function functionNameOf(r: Route, deps: ServerDeps): { name?: string; qualifier?: string } {
  try {
    return r.functionName === undefined
      ? {}
      : parseFunctionRef(r.functionName, undefined, deps.controlPlane.registry.scope);
  } catch {
    return {};
  }
}

/** The address the caller reached us by (its Host, checked by the guard): GetFunction's code links use it. */
function callerBaseUrl(req: IncomingMessage): string {
  if (req.headers.host) return `http://${req.headers.host}`;
  const address = req.socket.localAddress ?? '127.0.0.1';
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
}

async function handleAws(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: ServerDeps,
): Promise<void> {
  const method = req.method ?? 'GET';
  const r = route(method, url.pathname);
  const isInvoke = r?.operation === 'Invoke';
  const typeProblem = r && contentTypeProblem(req.headers, isInvoke ? INVOKE_TYPES : CONTROL_TYPES);
  if (typeProblem) {
    refuse(res, unsupportedMediaType(typeProblem));
    return;
  }
  const { body, tooLarge } = await readBody(req, isInvoke ? INVOKE_PAYLOAD_LIMIT : CONTROL_BODY_LIMIT);
  // An invocation's emulated time runs from here: what the emulator does from now on is part of it.
  let receivedAt = performance.now();
  if (!r) {
    write(res, errorResponse(unknownOperation(method, url.pathname)));
    return;
  }
  const target = functionNameOf(r, deps);
  const qualifier = url.searchParams.get('Qualifier') ?? target.qualifier;
  const accessKeyId = callerAccessKeyId(req.headers, url.searchParams);
  const signedBy = accessKeyId === undefined ? {} : { accessKeyId };
  const recordEvent = (status: number, errorType?: string, fault?: string): void => {
    if (isInvoke) {
      deps.events.countInvoke({
        functionName: target.name,
        ...(qualifier ? { qualifier } : {}),
        ...signedBy,
      });
      return;
    }
    deps.events.record({
      operation: r.operation,
      functionName: target.name,
      ...(qualifier ? { qualifier } : {}),
      ...(r.aliasName ? { aliasName: r.aliasName } : {}),
      status,
      ...(errorType ? { errorType } : {}),
      ...(fault ? { fault } : {}),
      ...signedBy,
    });
  };

  const fault = deps.faults.decide(target.name, isInvoke ? 'invoke' : 'control');
  if (fault.latencyMs > 0) {
    // Injected latency comes on top of the function's time, as a slow network would.
    await abortableSleep(fault.latencyMs, deps.signal);
    receivedAt = performance.now();
  }
  if (fault.action === 'drop') {
    recordEvent(0, undefined, 'drop');
    req.socket.destroy();
    return;
  }
  if (fault.action === 'throttle' || fault.action === 'error') {
    const err =
      fault.action === 'throttle'
        ? tooManyRequests('CallerRateLimitExceeded', 1)
        : serviceError('Lambda was unable to process the request (injected fault).');
    recordEvent(err.status, err.errorType, fault.action);
    write(res, errorResponse(err));
    return;
  }

  let answer: ApiResponse;
  try {
    if (isInvoke) {
      answer = await handleInvoke(
        {
          functionName: r.functionName ?? '',
          query: url.searchParams,
          headers: req.headers,
          body,
          tooLarge,
          receivedAt,
        },
        deps.invoke,
      );
    } else {
      if (tooLarge) throw requestTooLarge(CONTROL_BODY_LIMIT, r.operation);
      answer = handleControlPlane(
        {
          operation: r.operation as Exclude<Route['operation'], 'Invoke'>,
          functionName: r.functionName,
          aliasName: r.aliasName,
          query: url.searchParams,
          body,
          baseUrl: callerBaseUrl(req),
        },
        deps.controlPlane,
      );
    }
  } catch (err) {
    if (!(err instanceof LambdaError)) throw err;
    answer = errorResponse(err);
  }
  const errorType = answer.headers?.['X-Amzn-ErrorType'];
  recordEvent(answer.status, errorType);
  write(res, answer);
}

async function handleAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: ServerDeps,
): Promise<void> {
  const typeProblem = contentTypeProblem(req.headers, CONTROL_TYPES);
  if (typeProblem) {
    refuse(res, unsupportedMediaType(typeProblem));
    return;
  }
  const { body } = await readBody(req, 1024 * 1024);
  write(res, handleAdmin(req.method ?? 'GET', url.pathname, url.searchParams, body, deps.admin));
}

export function createEmulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    const refused = refusal(req, deps.guard);
    if (refused) {
      refuse(res, refused);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator');
    } catch {
      // A request target such as `//` is no URL at all; it must not bring the server down.
      write(res, errorResponse(unknownOperation(req.method ?? 'GET', req.url ?? '')));
      return;
    }
    if (isCodeLocationPath(url.pathname)) {
      // A presigned code link (GetFunction's Code.Location): S3's answer, no body to read.
      write(res, deps.controlPlane.codeLocations.serve(req.method ?? 'GET', url));
      return;
    }
    const work =
      url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)
        ? handleAdminRequest(req, res, url, deps)
        : handleAws(req, res, url, deps);
    work.catch((err: unknown) => {
      if (deps.signal.aborted) {
        res.destroy();
        return;
      }
      // An unexpected bug must still give the caller an answer, never a hang.
      write(
        res,
        errorResponse(serviceError(`Internal emulator error: ${(err as Error)?.message ?? String(err)}`)),
      );
    });
  });
}
