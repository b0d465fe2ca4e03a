/**
 * The CLI starts fast because it loads no SDK client at start-up: the Temporal client (with gRPC),
 * the worker (the demo's) and the AWS SDK load only in the commands that use them. Loading them
 * took `powertune --help` past a second; this keeps a new static import from bringing that back.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The packages a child process has loaded after importing `module` (CommonJS ones, which these all are). */
async function packagesLoadedBy(module: string): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(module)});
    const names = Object.keys(createRequire(import.meta.url).cache)
      .map((file) => /.*node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1])
      .filter(Boolean);
    console.log(JSON.stringify([...new Set(names)].sort()));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: ROOT, timeout: 60_000 },
  );
  return JSON.parse(stdout) as string[];
}

describe('CLI start-up', () => {
  it('loads neither the Temporal client, the worker, gRPC nor the AWS SDK to define its commands', async () => {
    const loaded = await packagesLoadedBy('./client/cli/program.ts');
    assert.ok(loaded.includes('commander'), `the probe sees packages: ${loaded.join(', ')}`);
    const heavy = loaded.filter((name) =>
      /^(@temporalio\/(client|worker|proto)|@grpc\/grpc-js|@aws-sdk\/.*)$/.test(name),
    );
    assert.deepEqual(heavy, [], 'loaded at start-up');
  });
});
