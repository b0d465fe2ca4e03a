/**
 * The browser of the end-to-end tests: Debian's chromium, driven by playwright-core (which
 * downloads no browser itself). `npm test` calls `ensureChromium` when a selected test uses
 * playwright-core, so `npm ci && npm test` works on a fresh Debian machine: a missing browser is
 * installed with apt-get, and when that is impossible the run stops at once, saying why and what
 * to run, instead of failing the browser tests one by one.
 *
 * CHROMIUM_PATH names another browser binary (test/e2e/browser.test.ts reads it too); such a path
 * is used as it is, never installed.
 */
import { aptInstall, aptInstallArgs, isExecutableFile, type AptFacts } from '../infra/apt-install.js';
import { runLogged } from '../infra/exec.js';
import { findOnPath } from '../infra/temporal-cli.js';

/** No usable browser and no way to get one; the message says why and what to do. */
export class ChromiumUnavailableError extends Error {
  constructor(message: string) {
    super(`chromium: ${message}`);
    this.name = 'ChromiumUnavailableError';
  }
}

/** Where Debian's chromium package puts the browser. */
export const APT_CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_PATH_VARIABLE = 'CHROMIUM_PATH';

/** What the machine looks like, as far as getting a browser is concerned. */
export interface ChromiumFacts extends AptFacts {
  /** CHROMIUM_PATH when set (and not empty). */
  configuredPath?: string;
}

export type ChromiumPlan =
  | { action: 'use'; path: string }
  | { action: 'install'; path: string; commands: string[][] }
  | { action: 'fail'; reason: string };

const APT_INSTALL_ARGS = aptInstallArgs('chromium');
/** What a person runs by hand (as root, or with sudo in front of each apt-get). */
const MANUAL_INSTALL = `apt-get update && apt-get ${APT_INSTALL_ARGS.join(' ')}`;
const MANUAL_SUDO_INSTALL = `sudo apt-get update && sudo apt-get ${APT_INSTALL_ARGS.join(' ')}`;

/** Decides, without touching anything, whether to use, install or give up. */
export function planChromium(facts: ChromiumFacts): ChromiumPlan {
  if (facts.configuredPath !== undefined) {
    if (facts.isExecutable(facts.configuredPath)) return { action: 'use', path: facts.configuredPath };
    return {
      action: 'fail',
      reason:
        `${CHROMIUM_PATH_VARIABLE} is ${facts.configuredPath}, which is not an executable file. Point it at a ` +
        `Chromium binary, or unset it to use Debian's chromium at ${APT_CHROMIUM_PATH} (installed on demand).`,
    };
  }
  if (facts.isExecutable(APT_CHROMIUM_PATH)) return { action: 'use', path: APT_CHROMIUM_PATH };

  const install = aptInstall('chromium', facts);
  if ('commands' in install)
    return { action: 'install', path: APT_CHROMIUM_PATH, commands: install.commands };
  if (install.missing === 'apt-get') {
    return {
      action: 'fail',
      reason:
        `the browser tests need Chromium at ${APT_CHROMIUM_PATH}, which is missing, and this machine has no ` +
        `apt-get to install it. Install Chromium yourself and set ${CHROMIUM_PATH_VARIABLE}=<path to its binary>.`,
    };
  }
  return {
    action: 'fail',
    reason:
      `the browser tests need Chromium at ${APT_CHROMIUM_PATH}, which is missing; installing it needs root, ` +
      `and this is not root and has no sudo. As root, run: ${MANUAL_INSTALL}`,
  };
}

/** The facts of this machine and environment. */
export function chromiumFacts(env: NodeJS.ProcessEnv = process.env): ChromiumFacts {
  const configured = env[CHROMIUM_PATH_VARIABLE];
  return {
    ...(configured ? { configuredPath: configured } : {}),
    isExecutable: isExecutableFile,
    which: (command) => findOnPath(command, env['PATH'] ?? ''),
    isRoot: process.getuid?.() === 0,
  };
}

export interface EnsureChromiumOptions {
  facts?: ChromiumFacts;
  log?: (msg: string) => void;
  /** Runs one install command; the default forwards its output to stderr. */
  run?: (command: string[]) => Promise<void>;
}

/** Returns the path of a usable Chromium, installing Debian's when it is missing; throws saying why not. */
export async function ensureChromium(opts: EnsureChromiumOptions = {}): Promise<string> {
  const facts = opts.facts ?? chromiumFacts();
  const log = opts.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const run =
    opts.run ??
    ((command: string[]) => runLogged(command[0] as string, command.slice(1), { timeoutMs: 15 * 60_000 }));
  const plan = planChromium(facts);
  if (plan.action === 'fail') throw new ChromiumUnavailableError(plan.reason);
  if (plan.action === 'use') {
    log(`chromium: using ${plan.path}`);
    return plan.path;
  }
  log(`chromium: ${plan.path} is missing; installing Debian's chromium package`);
  for (const command of plan.commands) {
    log(`chromium: running ${command.join(' ')}`);
    try {
      await run(command);
    } catch (err) {
      throw new ChromiumUnavailableError(
        `installing failed (${(err as Error).message}). Run it yourself: ` +
          `${facts.isRoot ? MANUAL_INSTALL : MANUAL_SUDO_INSTALL}; ` +
          `or set ${CHROMIUM_PATH_VARIABLE}=<path to a Chromium binary>.`,
      );
    }
  }
  if (!facts.isExecutable(plan.path)) {
    throw new ChromiumUnavailableError(
      `the install finished but ${plan.path} is still missing. Install Chromium yourself, or set ` +
        `${CHROMIUM_PATH_VARIABLE}=<path to its binary>.`,
    );
  }
  log(`chromium: installed ${plan.path}`);
  return plan.path;
}
