/** Default workflow IDs: `<prefix>-<function>-<6 hex>`, readable in lists and safe in URLs and shells. */
import { randomBytes } from 'node:crypto';

const randomHex = (): string => randomBytes(3).toString('hex');

function workflowIdFor(prefix: string, functionName: string, random: () => string): string {
  const slug = functionName.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64) || 'function';
  return `${prefix}-${slug}-${random()}`;
}

/** `powertune-<name>-<6 hex>`: a tuning's. */
export function defaultWorkflowId(functionName: string, random: () => string = randomHex): string {
  return workflowIdFor('powertune', functionName, random);
}

/** `powertune-cleanup-<name>-<6 hex>`: a cleanup's. */
export function cleanupWorkflowId(functionName: string, random: () => string = randomHex): string {
  return workflowIdFor('powertune-cleanup', functionName, random);
}
