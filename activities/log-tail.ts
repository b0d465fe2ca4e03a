/**
 * Reads an invocation's log tail with Node's native base64 and UTF-8 decoding: the plain-JS
 * decoders of domain/base64.ts, which the workflow sandbox needs, cost more per invocation than
 * the rest of the parsing. Whatever this fast path cannot read goes through domain/logs.ts, so
 * the result and every error are the same as there.
 */
import { parseInvocationLog, parseLogText, type ParsedLog } from '../domain/logs.js';

/** Strict base64 (what Lambda sends): Buffer would skip any other character silently. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function readLogTail(logResult: string | undefined): ParsedLog {
  if (logResult && logResult.length % 4 === 0 && BASE64.test(logResult)) {
    try {
      return parseLogText(Buffer.from(logResult, 'base64').toString('utf8'));
    } catch {
      // The slow path below throws the precise error.
    }
  }
  return parseInvocationLog(logResult);
}
