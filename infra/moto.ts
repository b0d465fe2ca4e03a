/**
 * A local S3-compatible endpoint (moto's server mode) for tests that read and write reports, and
 * (with `config`) moto's Lambda as a second Lambda implementation for control-plane tests.
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

/**
 * moto's server-wide settings, as its `/moto-api/config` endpoint takes them (moto 5.x), e.g.
 * `{ lambda: { use_docker: false } }`: Lambda then keeps functions without running their code.
 */
export type MotoConfig = Record<string, Record<string, unknown>>;

export async function startMoto(
  opts: { startTimeoutMs?: number; log?: (msg: string) => void; config?: MotoConfig } = {},
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
  if (opts.config) {
    try {
      await applyConfig(endpoint, opts.config);
    } catch (err) {
      await service.stop(2000);
      throw err;
    }
  }
  log(`moto ${opts.config ? '' : 'S3 '}server ready at ${endpoint} (pid ${service.pid})`);
  return { endpoint, pid: service.pid, stop: () => service.stop() };
}

/**
 * Sets moto's config and checks it took: an unknown section is dropped silently by moto, which
 * would otherwise show up only as tests running against the wrong backend.
 */
async function applyConfig(endpoint: string, config: MotoConfig): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto refused its config (HTTP ${res.status}): ${text}`);
  const applied = JSON.parse(text) as Record<string, unknown>;
  for (const [section, values] of Object.entries(config)) {
    if (JSON.stringify(applied[section]) !== JSON.stringify(values)) {
      throw new Error(`moto did not take config.${section}: asked ${JSON.stringify(values)}, has ${text}`);
    }
  }
}
