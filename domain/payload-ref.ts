/**
 * The inline payload travels in workflow history once, in the run's input. Activities get a
 * reference instead and ask the run for the payload (`payloadQuery` of workflow-api.ts, answered
 * from the workflow's memory), so a 256 KB payload does not ride along with every one of hundreds
 * of activities.
 */
import { fnv1a } from './naming.js';
import type { PayloadSpec } from './types.js';

export interface PayloadRef {
  /** Identifies the content, so a worker can cache it and check what it was sent. */
  digest: string;
}

/** Length and FNV-1a of the spec's JSON: enough to tell payloads apart and to catch a mismatch. */
export function payloadDigest(spec: PayloadSpec): string {
  const text = JSON.stringify(spec);
  return `${text.length.toString(16)}-${fnv1a(text).toString(16).padStart(8, '0')}`;
}

export const payloadRef = (spec: PayloadSpec): PayloadRef => ({ digest: payloadDigest(spec) });
