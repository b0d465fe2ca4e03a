/**
 * Makes sure the custom search attributes exist, so the workflow can set them. On a dev server
 * the worker may register them itself; where it may not (e.g. Temporal Cloud, which uses its own
 * API for that), tunings still run, just without those attributes.
 */
import type { NativeConnection } from '@temporalio/worker';
import { TUNING_SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';

/** gRPC status code for PERMISSION_DENIED. */
const PERMISSION_DENIED = 7;
/** temporal.api.enums.v1.IndexedValueType values. */
const TYPES = { Keyword: 2, Int: 3 } as const;

export async function ensureSearchAttributes(
  connection: NativeConnection,
  namespace: string,
  warn: (message: string) => void,
): Promise<boolean> {
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = TUNING_SEARCH_ATTRIBUTES.filter((a) => !known.has(a.name));
    if (missing.length === 0) return true;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((a) => [a.name, TYPES[a.cliType]])),
    });
    return true;
  } catch (err) {
    const code = (err as { code?: number }).code;
    const why = code === PERMISSION_DENIED ? 'permission denied' : String(err);
    warn(
      `Custom search attributes are not available (${why}); tunings run without them. ` +
        `Register them with: ${TUNING_SEARCH_ATTRIBUTES.map((a) => `temporal operator search-attribute create --name ${a.name} --type ${a.cliType}`).join(' && ')}`,
    );
    return false;
  }
}
