/**
 * Finds the PostgreSQL server binaries of the major version the cluster runs (versions.ts), as
 * Debian installs them (/usr/lib/postgresql/<major>/bin), or installs Debian's package with
 * apt-get, the way scripts/chromium.ts gets the browser. When neither works it says why and what
 * to run. PT_POSTGRES_BIN_DIR names another folder holding initdb, postgres and pg_isready.
 */
import path from 'node:path';
import { aptInstall, aptInstallArgs, isExecutableFile, type AptFacts } from '../apt-install.js';
import { runCapture, runLogged } from '../exec.js';
import { findOnPath } from '../temporal-cli.js';
import { POSTGRES_MAJOR } from './versions.js';

export class PostgresUnavailableError extends Error {
  constructor(message: string) {
    super(`postgresql: ${message}`);
    this.name = 'PostgresUnavailableError';
  }
}

export const POSTGRES_BIN_DIR_VARIABLE = 'PT_POSTGRES_BIN_DIR';
export const DEBIAN_PACKAGE = `postgresql-${POSTGRES_MAJOR}`;
const REQUIRED = ['initdb', 'postgres', 'pg_isready'];

export function debianBinDir(major = POSTGRES_MAJOR): string {
  return `/usr/lib/postgresql/${major}/bin`;
}

export interface PostgresFacts extends AptFacts {
  configuredDir?: string;
}

export type PostgresPlan =
  | { action: 'use'; binDir: string }
  | { action: 'install'; binDir: string; commands: string[][] }
  | { action: 'fail'; reason: string };

const MANUAL_INSTALL = `apt-get update && apt-get ${aptInstallArgs(DEBIAN_PACKAGE).join(' ')}`;

function hasAll(dir: string, facts: PostgresFacts): boolean {
  return REQUIRED.every((name) => facts.isExecutable(path.join(dir, name)));
}

/** Decides, without touching anything, whether to use, install or give up. */
export function planPostgres(facts: PostgresFacts): PostgresPlan {
  if (facts.configuredDir !== undefined) {
    if (hasAll(facts.configuredDir, facts)) return { action: 'use', binDir: facts.configuredDir };
    return {
      action: 'fail',
      reason:
        `${POSTGRES_BIN_DIR_VARIABLE} is ${facts.configuredDir}, which does not hold ${REQUIRED.join(', ')}. ` +
        `Point it at PostgreSQL ${POSTGRES_MAJOR}'s bin folder, or unset it to use Debian's ${debianBinDir()}.`,
    };
  }
  const binDir = debianBinDir();
  if (hasAll(binDir, facts)) return { action: 'use', binDir };
  const install = aptInstall(DEBIAN_PACKAGE, facts);
  if ('commands' in install) return { action: 'install', binDir, commands: install.commands };
  if (install.missing === 'apt-get') {
    return {
      action: 'fail',
      reason:
        `the cluster needs PostgreSQL ${POSTGRES_MAJOR} (${binDir}), which is missing, and this machine has no ` +
        `apt-get to install it. Install PostgreSQL ${POSTGRES_MAJOR} and set ${POSTGRES_BIN_DIR_VARIABLE}=<its bin folder>.`,
    };
  }
  return {
    action: 'fail',
    reason: `the cluster needs PostgreSQL ${POSTGRES_MAJOR} (${binDir}), which is missing; installing it needs root. As root, run: ${MANUAL_INSTALL}`,
  };
}

export function postgresFacts(env: NodeJS.ProcessEnv = process.env): PostgresFacts {
  const configured = env[POSTGRES_BIN_DIR_VARIABLE];
  return {
    ...(configured ? { configuredDir: configured } : {}),
    isExecutable: isExecutableFile,
    which: (command) => findOnPath(command, env['PATH'] ?? ''),
    isRoot: process.getuid?.() === 0,
  };
}

/** `postgres --version` must report the major version the cluster (and the compose file) pins. */
async function checkMajor(binDir: string): Promise<void> {
  const { stdout } = await runCapture(path.join(binDir, 'postgres'), ['--version'], { timeoutMs: 10_000 });
  const major = /\(PostgreSQL\) (\d+)/.exec(stdout)?.[1];
  if (major !== String(POSTGRES_MAJOR)) {
    throw new PostgresUnavailableError(
      `${binDir}/postgres is version ${major ?? `unknown ('${stdout.trim()}')`}, the cluster pins PostgreSQL ${POSTGRES_MAJOR} ` +
        '(infra/cluster/versions.ts, the same as docker-compose.yml).',
    );
  }
}

/** Returns the bin folder of a usable PostgreSQL, installing Debian's package when it is missing. */
export async function ensurePostgresBinaries(
  opts: { facts?: PostgresFacts; log?: (msg: string) => void } = {},
): Promise<string> {
  const facts = opts.facts ?? postgresFacts();
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const plan = planPostgres(facts);
  if (plan.action === 'fail') throw new PostgresUnavailableError(plan.reason);
  if (plan.action === 'install') {
    log(`postgresql: ${plan.binDir} is missing; installing Debian's ${DEBIAN_PACKAGE}`);
    for (const command of plan.commands) {
      try {
        await runLogged(command[0] as string, command.slice(1), { timeoutMs: 15 * 60_000 });
      } catch (err) {
        throw new PostgresUnavailableError(
          `installing failed (${(err as Error).message}). Run it yourself, as root: ${MANUAL_INSTALL}`,
        );
      }
    }
    if (!hasAll(plan.binDir, facts)) {
      throw new PostgresUnavailableError(
        `the install finished but ${plan.binDir} still lacks ${REQUIRED.join(', ')}.`,
      );
    }
  }
  await checkMajor(plan.binDir);
  return plan.binDir;
}
