/**
 * One server process of the cluster: started as a service process group, awaited until it serves
 * (and stopped again if it never does), and restartable with the same command, ports and data.
 */
import { startService, type ServiceProcess, type StartServiceOptions } from '../service-process.js';

export interface ManagedService {
  /** The process running now (a restart replaces it). */
  service(): ServiceProcess;
  stop(): Promise<void>;
  /** Stops the process and starts the same command again, waiting until it serves. */
  restart(): Promise<void>;
}

export async function launchService(
  options: StartServiceOptions,
  /** Resolves once the process serves; throws (with its log tail) when it does not. */
  ready: (service: ServiceProcess) => Promise<void>,
  /** How long a SIGTERM'd process may take to shut down before SIGKILL. */
  graceMs: number,
): Promise<ManagedService> {
  const launch = async (): Promise<ServiceProcess> => {
    const service = startService(options);
    try {
      await ready(service);
    } catch (err) {
      await service.stop(5000);
      throw err;
    }
    return service;
  };
  let current = await launch();
  return {
    service: () => current,
    stop: () => current.stop(graceMs),
    async restart() {
      await current.stop(graceMs);
      current = await launch();
    },
  };
}
