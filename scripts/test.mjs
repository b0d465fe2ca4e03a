#!/usr/bin/env node
/**
 * `npm test [-- <file or folder>... [--node-test-flag]...]`
 *
 * Collects test/**\/*.test.ts (or the given subset), makes sure Chromium is there when a selected
 * test drives a browser (scripts/chromium.ts), the time-skipping test server when a selected
 * test runs workflows on it (scripts/temporal-test-server.ts), and PostgreSQL and the cluster's Go
 * builds when a selected test starts the native cluster (infra/cluster/), starts ONE Temporal dev server and ONE moto S3
 * server for the whole run when a selected test needs them, hands their addresses to the test
 * processes through PT_TEST_* variables, runs node's test runner, always stops the servers, and
 * exits with the runner's code. Plain JS so it runs before anything is compiled; the TypeScript
 * infra modules are loaded through tsx's loader API.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_DIR = path.join(ROOT, 'test');
/** Folders whose tests talk to Temporal or S3. */
const SERVER_DIRS = ['test/integration', 'test/reliability', 'test/e2e', 'test/infra', 'test/security'];
/** A test file is killed if a single test runs longer than this. */
const TEST_TIMEOUT_MS = 10 * 60_000;
/** Hard ceiling for the whole run (CI allows 90 min for everything). */
const RUN_TIMEOUT_MS = Number(process.env.PT_TEST_RUN_TIMEOUT_MS ?? 30 * 60_000);

const log = (msg) => process.stderr.write(`[test] ${msg}\n`);

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

function selectFiles(filters) {
  const all = walk(TEST_DIR).sort();
  if (filters.length === 0) return all;
  const wanted = filters.map((f) => path.resolve(f));
  for (const f of wanted) {
    if (!fs.existsSync(f))
      throw new Error(`test filter '${path.relative(ROOT, f)}' matches no file or folder`);
  }
  return all.filter((file) => wanted.some((w) => file === w || file.startsWith(w + path.sep)));
}

/** Tests that drive a browser through playwright-core need Chromium on the machine. */
function needsBrowser(files) {
  return files.some((file) => fs.readFileSync(file, 'utf8').includes("from 'playwright-core'"));
}

/** Tests that run workflows on the time-skipping test server (test/support/time-skipping.ts). */
function needsTestServer(files) {
  return files.some((file) => fs.readFileSync(file, 'utf8').includes('support/time-skipping.js'));
}

/** Tests that start the native production cluster (infra/cluster/ or its script): PostgreSQL and the Go builds. */
function needsCluster(files) {
  return files.some((file) => /infra\/cluster\/(cluster|control)\.js/.test(fs.readFileSync(file, 'utf8')));
}

let tsLoaderRegistered = false;
/** Imports one of the TypeScript tooling modules (tsx's loader is registered on first use). */
function importTs(specifier) {
  if (!tsLoaderRegistered) {
    register();
    tsLoaderRegistered = true;
  }
  return import(specifier);
}

/**
 * Whether this Node is in package.json's engines range, read as `^x.y.z || ^x.y.z` (an alternative
 * in another form counts as met). Outside it the suite still runs, with a notice: CI's is `.ci/run`.
 */
function supportedNode(range, version = process.versions.node) {
  const [major, minor, patch] = version.split('.').map(Number);
  return range.split('||').some((alternative) => {
    const m = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(alternative);
    if (!m) return true;
    const [wantMajor, wantMinor, wantPatch] = m.slice(1).map(Number);
    return major === wantMajor && (minor > wantMinor || (minor === wantMinor && patch >= wantPatch));
  });
}

function needsServers(files) {
  return files.some((file) => {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    if (SERVER_DIRS.some((dir) => rel.startsWith(dir + '/'))) return true;
    // Tests elsewhere that ask for servers explicitly.
    return fs.readFileSync(file, 'utf8').includes('support/env.js');
  });
}

/**
 * Repeats the spec reporter's closing counts (`ℹ tests N` ...) as node's TAP-style `# tests N` lines
 * and a plain `N passed, N failed` line, so any log reader finds the usual summary at the very end.
 */
function printSummary(output) {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const counts = new Map();
  for (const m of plain.matchAll(
    /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/gm,
  )) {
    counts.set(m[1], m[2]);
  }
  if (!counts.has('tests')) return;
  const lines = [...counts].map(([name, value]) => `# ${name} ${value}`);
  const n = (name) => Number(counts.get(name) ?? 0);
  lines.push(`${n('pass')} passed, ${n('fail') + n('cancelled')} failed, ${n('skipped')} skipped`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

function runNodeTest(files, nodeFlags, env) {
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    // No --test-force-exit: on Node 20 it can cut a file's report short, so the counts (and
    // names) of its last tests were lost. A file that leaves a handle open is caught by the
    // whole-run timeout instead.
    ...(process.env.PT_TEST_FORCE_EXIT ? ['--test-force-exit'] : []),
    '--test-reporter=spec',
    ...nodeFlags,
    ...files.map((f) => path.relative(ROOT, f)),
  ];
  return new Promise((resolve) => {
    const childEnv = process.stdout.isTTY ? { FORCE_COLOR: '1', ...env } : env;
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Echo the report as it comes, keeping its tail for the summary.
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-20_000);
    });
    const timer = setTimeout(() => {
      log(`run exceeded ${RUN_TIMEOUT_MS} ms; stopping the test runner`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, RUN_TIMEOUT_MS);
    const forward = (signal) => () => child.kill(signal);
    process.on('SIGINT', forward('SIGINT'));
    process.on('SIGTERM', forward('SIGTERM'));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      printSummary(tail);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const nodeFlags = argv.filter((a) => a.startsWith('--'));
  const files = selectFiles(argv.filter((a) => !a.startsWith('--')));
  if (files.length === 0) {
    log('no test files selected');
    return 1;
  }
  log(`${files.length} test file(s)`);
  const engines = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines?.node;
  if (engines && !supportedNode(engines)) {
    log(
      `Node ${process.version} is outside package.json's engines (${engines}); ` +
        'CI runs the suite on Node 22 LTS (bash .ci/run provisions it)',
    );
  }

  const env = { ...process.env };
  // Set when this script itself runs under node's test runner; it would make the nested runner
  // talk to that parent instead of printing its report.
  delete env.NODE_TEST_CONTEXT;
  const servers = [];
  try {
    if (needsBrowser(files)) {
      // Before the servers: a machine that cannot get a browser fails in seconds, saying why.
      const { ensureChromium } = await importTs('./chromium.ts');
      env.CHROMIUM_PATH = await ensureChromium({ log });
    }
    if (needsTestServer(files)) {
      // Once, before the test files start: they would otherwise race to fetch it (a lock makes
      // them wait, but each would count the download against its own tests' time).
      const { ensureTemporalTestServer } = await importTs('./temporal-test-server.ts');
      env.TEMPORAL_TEST_SERVER_PATH = await ensureTemporalTestServer({ log });
    }
    if (needsCluster(files)) {
      // Once, before the test files start: the first Go build takes minutes, beyond a test's time.
      const { ensurePostgresBinaries } = await importTs('../infra/cluster/postgres-binaries.ts');
      const { ensureClusterBinaries } = await importTs('../infra/cluster/go-build.ts');
      await ensurePostgresBinaries({ log });
      await ensureClusterBinaries({ log });
    }
    if (needsServers(files) && env.PT_TEST_TEMPORAL_ADDRESS && env.PT_TEST_S3_ENDPOINT) {
      // Servers given by the caller (an outer run, or a developer's own): use them as they are.
      log(`using Temporal at ${env.PT_TEST_TEMPORAL_ADDRESS} and S3 at ${env.PT_TEST_S3_ENDPOINT}`);
    } else if (needsServers(files)) {
      const { ensureTemporalCli } = await importTs('../infra/temporal-cli.ts');
      const { startDevServer } = await importTs('../infra/dev-server.ts');
      const { startMoto } = await importTs('../infra/moto.ts');
      env.TEMPORAL_CLI_PATH = await ensureTemporalCli();
      const [dev, moto] = await Promise.allSettled([startDevServer(), startMoto()]);
      for (const s of [dev, moto]) if (s.status === 'fulfilled') servers.push(s.value);
      if (dev.status === 'rejected') throw dev.reason;
      if (moto.status === 'rejected') throw moto.reason;
      env.PT_TEST_TEMPORAL_ADDRESS = dev.value.address;
      env.PT_TEST_TEMPORAL_NAMESPACE = dev.value.namespace;
      env.PT_TEST_S3_ENDPOINT = moto.value.endpoint;
    }
    return await runNodeTest(files, nodeFlags, env);
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // A provisioning refusal is a message for the user, not a crash: no stack trace.
    const expected =
      err instanceof Error &&
      [
        'ChromiumUnavailableError',
        'TestServerUnavailableError',
        'PostgresUnavailableError',
        'GoUnavailableError',
      ].includes(err.name);
    log(err instanceof Error ? (expected ? err.message : (err.stack ?? err.message)) : String(err));
    process.exitCode = 1;
  },
);
