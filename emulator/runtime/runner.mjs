// One execution environment: a child process that loads a handler module once and runs it
// for each invocation the parent sends over IPC. Plain JS so the child needs no TS loader.
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

let handler;
let logFormat = 'Text';
let requestId; // undefined during init, like Lambda's "undefined" request id in init logs
let lines = [];

const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };

function logLine(level, message) {
  const timestamp = new Date().toISOString();
  if (logFormat === 'JSON') {
    const record =
      requestId === undefined ? { timestamp, level, message } : { timestamp, level, requestId, message };
    lines.push(JSON.stringify(record));
  } else {
    lines.push(`${timestamp}\t${requestId}\t${level}\t${message}`);
  }
}

for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => logLine(level, format(...args));
}

// Raw writes to stdout/stderr also end up in the function's log, as on Lambda.
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    lines.push(...text.replace(/\n$/, '').split('\n'));
    if (typeof encoding === 'function') encoding();
    else if (typeof callback === 'function') callback();
    return true;
  };
}

/**
 * This process's own peak resident memory, in kB. Not resourceUsage().maxRSS alone: Linux carries
 * that across fork+exec, so a runner forked by a process holding 150 MB (a test process with its
 * worker, a busy emulator) starts at 150 MB and a tiny handler looks killed at 128 MB. VmHWM is the
 * peak of this process's own memory; where /proc is missing, maxRSS is the best there is.
 */
function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // No procfs (macOS): fall through.
  }
  return process.resourceUsage().maxRSS;
}

function describeError(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name || 'Error',
      errorMessage: err.message,
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

function findModule(directory, base) {
  for (const ext of ['.mjs', '.js', '.cjs']) {
    const path = join(directory, base + ext);
    if (existsSync(path)) return path;
  }
  return undefined;
}

async function init(msg) {
  logFormat = msg.logFormat;
  const dot = msg.handler.lastIndexOf('.');
  const base = dot > 0 ? msg.handler.slice(0, dot) : msg.handler;
  const exportName = dot > 0 ? msg.handler.slice(dot + 1) : 'handler';
  const path = findModule(msg.directory, base);
  if (!path) {
    return {
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Error: Cannot find module '${base}'`,
      trace: [],
    };
  }
  try {
    const mod = await import(pathToFileURL(path).href);
    handler = mod[exportName] ?? mod.default?.[exportName];
  } catch (err) {
    const e = describeError(err);
    return {
      ...e,
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `${e.errorType}: ${e.errorMessage}`,
    };
  }
  if (typeof handler !== 'function') {
    return {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${base}.${exportName} is undefined or not exported`,
      trace: [],
    };
  }
  return undefined;
}

function callHandler(event, context) {
  // Callback-style handlers (three parameters) are still supported by the Node.js runtime.
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const result = handler(event, context, (err, value) => (err ? reject(err) : resolve(value)));
      if (result && typeof result.then === 'function') result.then(resolve, reject);
    });
  }
  return handler(event, context);
}

async function invoke(msg) {
  requestId = msg.requestId;
  lines = [];
  const deadline = Date.now() + msg.timeoutMs;
  const context = {
    functionName: msg.functionName,
    functionVersion: msg.functionVersion,
    invokedFunctionArn: msg.invokedFunctionArn,
    memoryLimitInMB: String(msg.memorySize),
    awsRequestId: msg.requestId,
    logGroupName: `/aws/lambda/${msg.functionName}`,
    logStreamName: 'emulator',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let payload;
  let error;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  try {
    const result = await callHandler(msg.event, context);
    payload = JSON.stringify(result === undefined ? null : result);
  } catch (err) {
    error = describeError(err);
    logLine('ERROR', `Invoke Error \t${JSON.stringify({ ...error, stack: error.trace, trace: undefined })}`);
  }
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const result = {
    type: 'result',
    requestId: msg.requestId,
    payload,
    error,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    maxRssKb: peakRssKb(),
    lines,
  };
  lines = [];
  requestId = undefined;
  return result;
}

process.on('message', (msg) => {
  if (msg.type === 'init') {
    void init(msg).then((error) => {
      const initLines = lines;
      lines = [];
      process.send({ type: 'ready', error, lines: initLines });
    });
  } else if (msg.type === 'invoke') {
    void invoke(msg).then((result) => process.send(result));
  }
});

process.on('disconnect', () => process.exit(0));
