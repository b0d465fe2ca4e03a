/**
 * A fresh Temporal database has no user namespace: registers it, waits until the frontend serves
 * it, and registers the tunings' custom search attributes (domain/search-attributes.ts) through
 * the operator API, as an operator would with `temporal operator search-attribute create`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { TUNING_SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';

/** gRPC status ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;
/** How long closed runs are kept (the CLI's default for new namespaces). */
const RETENTION = '72 hours';

const { IndexedValueType } = proto.temporal.api.enums.v1;

function indexedValueType(cliType: string): proto.temporal.api.enums.v1.IndexedValueType {
  const value =
    IndexedValueType[`INDEXED_VALUE_TYPE_${cliType.toUpperCase()}` as keyof typeof IndexedValueType];
  if (typeof value !== 'number') throw new Error(`search attribute type '${cliType}' is not a Temporal type`);
  return value;
}

/** Retries `fn` until it succeeds or `timeoutMs` passes (the namespace cache fills within seconds). */
async function until<T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) {
        const message = `${what}: still failing after ${timeoutMs} ms: ${(err as Error).message}`;
        throw new Error(message, { cause: err });
      }
      await sleep(500);
    }
  }
}

export async function prepareNamespace(address: string, namespace: string, log: (msg: string) => void) {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  try {
    const { workflowService, operatorService } = connection;
    await workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION) })
      .catch((err: { code?: number }) => {
        if (err.code !== ALREADY_EXISTS) throw err;
      });
    // Listing needs the namespace in the frontend's cache, as every worker poll and start does.
    await until(`namespace ${namespace}`, () =>
      workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }),
    );

    const existing = await operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = TUNING_SEARCH_ATTRIBUTES.filter((a) => !known.has(a.name));
    if (missing.length > 0) {
      await operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((a) => [a.name, indexedValueType(a.cliType)])),
      });
    }
    log(
      `cluster: namespace ${namespace} with search attributes ${TUNING_SEARCH_ATTRIBUTES.map((a) => a.name).join(', ')}`,
    );
  } finally {
    await connection.close();
  }
}
