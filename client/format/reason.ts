/**
 * A short form of an infeasibility reason for tables. Invocation errors arrive in the original
 * tool's long form (`Invocation error (running in series) - original error type: "T", original
 * error message: "…", trace: …`); the short form keeps the type and the gist of the message.
 */
import { clip } from '../../domain/describe.js';

export function shortReason(reason: string, max = 90): string {
  const type = /original error type: "([^"]*)"/.exec(reason)?.[1];
  if (!type) return clip(reason, max);
  let message = /original error message: "((?:[^"\\]|\\.)*)"/.exec(reason)?.[1] ?? '';
  // Lambda prefixes runtime errors with "RequestId: <id> Error: ".
  message = message.replace(/^RequestId: \S+\s+(Error: )?/, '');
  return clip(message ? `${type}: ${message}` : type, max);
}
