/** Installs a pinned PyPI package into a private virtualenv under the project cache. */
import fs from 'node:fs';
import path from 'node:path';
import { runLogged } from './exec.js';
import { withDirLock } from './lock.js';

export interface VenvInstallOptions {
  /** Virtualenv folder, e.g. `.cache/moto/venv`. */
  venvDir: string;
  /** pip requirement, pinned, e.g. `moto[server]==5.2.5`. */
  requirement: string;
  /** Executable expected in `<venv>/bin` once installed, e.g. `moto_server`. */
  executable: string;
  log?: (msg: string) => void;
}

/** Marker written after a successful install, so an interrupted pip run is retried. */
function markerPath(venvDir: string): string {
  return path.join(venvDir, '.installed');
}

/** Returns the absolute path of the executable, installing the requirement first if needed. */
export async function ensureVenvTool(opts: VenvInstallOptions): Promise<string> {
  const exe = path.join(opts.venvDir, 'bin', opts.executable);
  const installed = (): boolean =>
    fs.existsSync(exe) &&
    fs.existsSync(markerPath(opts.venvDir)) &&
    fs.readFileSync(markerPath(opts.venvDir), 'utf8').trim() === opts.requirement;
  if (installed()) return exe;
  await withDirLock(
    `${opts.venvDir}.lock`,
    async () => {
      if (installed()) return; // another process finished while we waited
      const python = process.env['PYTHON'] ?? 'python3';
      opts.log?.(`installing ${opts.requirement} into ${opts.venvDir}`);
      await fs.promises.rm(opts.venvDir, { recursive: true, force: true });
      await runLogged(python, ['-m', 'venv', opts.venvDir]);
      const pip = path.join(opts.venvDir, 'bin', 'pip');
      await runLogged(pip, ['install', '--quiet', '--disable-pip-version-check', opts.requirement], {
        env: { ...process.env, PIP_NO_INPUT: '1' },
      });
      if (!fs.existsSync(exe)) throw new Error(`${opts.requirement} installed but ${exe} is missing`);
      await fs.promises.writeFile(markerPath(opts.venvDir), `${opts.requirement}\n`);
    },
    { log: opts.log },
  );
  return exe;
}
