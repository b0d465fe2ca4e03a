/**
 * Getting a Debian package on demand, for the browser tests' Chromium (scripts/chromium.ts) and the
 * cluster's PostgreSQL (infra/cluster/postgres-binaries.ts): apt-get as root, through `sudo -n`
 * otherwise. When neither is possible it names what is missing, and the caller says what to run.
 */
import fs from 'node:fs';

/** What the machine looks like, as far as finding or installing a program is concerned. */
export interface AptFacts {
  /** Whether a path is an executable file. */
  isExecutable: (file: string) => boolean;
  /** The absolute path of a command on PATH, if any. */
  which: (command: string) => string | undefined;
  /** Root needs no sudo for apt-get. */
  isRoot: boolean;
}

/** The commands to run, one after the other, or what is missing to run them. */
export type AptInstall = { commands: string[][] } | { missing: 'apt-get' | 'sudo' };

/** `apt-get`'s arguments that install `pkg` and nothing it merely recommends. */
export function aptInstallArgs(pkg: string): string[] {
  return ['install', '-y', '--no-install-recommends', pkg];
}

/** Decides, without touching anything, how to install `pkg`. */
export function aptInstall(pkg: string, facts: AptFacts): AptInstall {
  const aptGet = facts.which('apt-get');
  if (!aptGet) return { missing: 'apt-get' };
  // DEBIAN_FRONTEND is passed through `env` so that it survives sudo's environment reset.
  const apt = (...args: string[]): string[] => ['env', 'DEBIAN_FRONTEND=noninteractive', aptGet, ...args];
  if (facts.isRoot) return { commands: [apt('update'), apt(...aptInstallArgs(pkg))] };
  const sudo = facts.which('sudo');
  if (!sudo) return { missing: 'sudo' };
  // -n: never prompt for a password (no one may be there to type it); fail instead.
  return {
    commands: [
      [sudo, '-n', ...apt('update')],
      [sudo, '-n', ...apt(...aptInstallArgs(pkg))],
    ],
  };
}

/** Whether a path is an executable file. */
export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
