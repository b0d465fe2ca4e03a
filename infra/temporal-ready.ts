/**
 * Waiting for a Temporal server that was just started (the dev server, infra/dev-server.ts; the
 * cluster's, infra/cluster/temporal-server.ts) until its frontend answers gRPC, and knows the
 * namespace when one is given. Fails at once if the process exits, else at the deadline, with the
 * server's log tail either way.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import type { ServiceProcess } from './service-process.js';

export interface FrontendWait {
  /** How the errors name the server, e.g. `temporal dev server`. */
  name: string;
  address: string;
  /** Also wait until this namespace exists. */
  namespace?: string;
  timeoutMs: number;
  /** Pause between attempts. */
  intervalMs: number;
}

export async function waitForFrontend(service: ServiceProcess, wait: FrontendWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    if (!service.isRunning()) {
      throw new Error(`${wait.name} exited during start-up; log ${service.logFile}:\n${service.logTail()}`);
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address: wait.address, connectTimeout: 2000 });
      await connection.workflowService.getSystemInfo({});
      if (wait.namespace) await connection.workflowService.describeNamespace({ namespace: wait.namespace });
      return;
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      await connection?.close().catch(() => undefined);
    }
    await sleep(wait.intervalMs);
  }
  throw new Error(
    `${wait.name} at ${wait.address} not ready within ${wait.timeoutMs} ms (last error: ${lastError}); ` +
      `log ${service.logFile}:\n${service.logTail()}`,
  );
}
