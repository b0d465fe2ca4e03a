/**
 * Builds the cluster's Go programs (Temporal server and its SQL tool, the Web UI server) from the
 * Go module proxy with `go install`, once, into the project cache. The first build downloads and
 * compiles a few hundred modules (several minutes on 2 cores) and prints its progress; later builds,
 * even in a fresh clone, reuse Go's machine-wide module and build caches.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withDirLock } from '../lock.js';
import { cacheDir } from '../paths.js';
import { findOnPath } from '../temporal-cli.js';
import { GO_PROGRAMS, type GoProgram } from './versions.js';

type Log = (msg: string) => void;

/** No Go toolchain here; the message says what to install. */
export class GoUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoUnavailableError';
  }
}

/** Where one program's binaries live: `.cache/cluster/go/<name>@<version>/`. */
export function programDir(program: GoProgram): string {
  return cacheDir('cluster', 'go', `${program.name}@${program.version}`);
}

/** The binary named `name` (the last path element of one of its packages, as `go install` names it). */
export function binaryPath(program: GoProgram, name: string): string {
  if (!program.packages.some((p) => path.posix.basename(p) === name)) {
    throw new Error(`${program.name} builds no binary named ${name}`);
  }
  return path.join(programDir(program), name);
}

/** Written last, so a build cut short is redone. */
function markerFile(program: GoProgram): string {
  return path.join(programDir(program), '.built');
}

function isBuilt(program: GoProgram): boolean {
  return (
    fs.existsSync(markerFile(program)) &&
    program.packages.every((p) => fs.existsSync(binaryPath(program, path.posix.basename(p))))
  );
}

function findGo(): string {
  const go = findOnPath('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new GoUnavailableError(
      'the cluster builds the Temporal server and Web UI server with Go, and no `go` command was found ' +
        '(PATH, /usr/local/go/bin). Install Go 1.26.5 or later (the versions in infra/cluster/versions.ts need it) and run again.',
    );
  }
  return go;
}

/** Runs `go install -v`, printing a progress line every `everyMs` (compiled packages, downloads). */
function goInstall(go: string, program: GoProgram, gobin: string, log: Log, everyMs = 20_000): Promise<void> {
  const targets = program.packages.map((p) => `${p}@v${program.version}`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', '-v', ...targets], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let compiled = 0;
    let downloaded = 0;
    let tail: string[] = [];
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('go: downloading ')) downloaded++;
        else if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) compiled++;
        tail = [...tail, line].slice(-20);
      }
    });
    const progress = setInterval(() => {
      const secs = Math.round((Date.now() - started) / 1000);
      log(
        `cluster: building ${program.name} ${program.version}: ${downloaded} modules downloaded, ${compiled} packages compiled, ${secs} s so far`,
      );
    }, everyMs);
    // A stuck build (e.g. an unreachable module proxy) must not hang the caller forever.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45 * 60_000);
    child.on('error', (err) => {
      clearInterval(progress);
      clearTimeout(timer);
      reject(new Error(`could not run ${go}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearInterval(progress);
      clearTimeout(timer);
      const secs = Math.round((Date.now() - started) / 1000);
      if (code === 0) {
        log(`cluster: built ${program.name} ${program.version} in ${secs} s (${compiled} packages compiled)`);
        resolve();
      } else {
        reject(
          new Error(
            `go install ${targets.join(' ')} failed (${signal ?? `exit code ${code}`}) after ${secs} s:\n${tail.join('\n')}`,
          ),
        );
      }
    });
  });
}

/** Builds `program` unless the cache already holds it; returns its folder. */
export async function ensureGoProgram(program: GoProgram, log: Log): Promise<string> {
  const dir = programDir(program);
  if (isBuilt(program)) return dir;
  const go = findGo();
  await withDirLock(
    `${dir}.lock`,
    async () => {
      if (isBuilt(program)) return; // built by a concurrent run while we waited
      log(
        `cluster: building ${program.name} ${program.version} with ${go} into ${dir}. The first build on a ` +
          'machine downloads and compiles a few hundred Go modules and takes several minutes; later ones reuse Go’s caches.',
      );
      // Into a fresh folder, renamed into place once complete.
      const staging = `${dir}.partial`;
      await fs.promises.rm(staging, { recursive: true, force: true });
      await fs.promises.mkdir(staging, { recursive: true });
      await goInstall(go, program, staging, log);
      await fs.promises.writeFile(path.join(staging, '.built'), `${program.module}@v${program.version}\n`);
      await fs.promises.rm(dir, { recursive: true, force: true });
      await fs.promises.rename(staging, dir);
    },
    { log, timeoutMs: 50 * 60_000 },
  );
  return dir;
}

/** Builds every Go program of the cluster (one after the other: the machine has 2 cores). */
export async function ensureClusterBinaries(opts: { log?: Log } = {}): Promise<void> {
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  for (const program of GO_PROGRAMS) await ensureGoProgram(program, log);
}
