/**
 * A local S3-compatible endpoint (moto's server mode) for tests that read and write reports.
 * moto is installed once, pinned, into `.cache/moto/venv`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { cacheDir } from './paths.js';
import { ensureVenvTool } from './python-venv.js';
import { startService } from './service-process.js';

export const MOTO_REQUIREMENT = 'moto[server]==5.2.5';

export interface MotoServer {
  /** `http://127.0.0.1:<port>`, for an S3 client with `forcePathStyle: true`. */
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export async function ensureMoto(log?: (msg: string) => void): Promise<string> {
  return ensureVenvTool({
    venvDir: cacheDir('moto', 'venv'),
    requirement: MOTO_REQUIREMENT,
    executable: 'moto_server',
    log,
  });
}

export async function startMoto(
  opts: { startTimeoutMs?: number; log?: (msg: string) => void } = {},
): Promise<MotoServer> {
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const exe = await ensureMoto(log);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const service = startService({
    name: 'moto',
    command: exe,
    args: ['-H', '127.0.0.1', '-p', String(port)],
    logFile: cacheDir('logs', `moto-${port}.log`),
  });
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!service.isRunning()) {
      throw new Error(`moto_server exited during start-up; log ${service.logFile}:\n${service.logTail()}`);
    }
    try {
      // Any HTTP answer means the server is listening; moto's own API root answers 200.
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        await service.stop(2000);
        throw new Error(
          `moto_server at ${endpoint} not ready within ${timeoutMs} ms; log:\n${service.logTail()}`,
        );
      }
      await sleep(200);
    }
  }
  log(`moto S3 server ready at ${endpoint} (pid ${service.pid})`);
  return { endpoint, pid: service.pid, stop: () => service.stop() };
}
