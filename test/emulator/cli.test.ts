/** The command line: starts on the given port with the given functions, prints the URL, stops on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ListFunctionsCommand, LambdaServiceException } from '@aws-sdk/client-lambda';
import { functionsFile, lambdaClient } from './helpers.js';

const CLI = fileURLToPath(new URL('../../emulator/cli.ts', import.meta.url));

function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL printed; stdout: ${stdout} stderr: ${stderr}`)),
      20_000,
    );
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => clearTimeout(timer));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

void describe('emulator CLI', () => {
  void it('serves the functions of a file, prints its URL and stops cleanly on SIGTERM', async () => {
    const file = functionsFile([{ name: 'from-file', synthetic: { cpuMs: 5 } }]);
    const cli = runCli(['--port', '0', '--no-samples', '--functions', file, '--time-scale', '0']);
    try {
      const url = await cli.url;
      const lambda = lambdaClient(url);
      const { Functions } = await lambda.send(new ListFunctionsCommand({}));
      lambda.destroy();
      assert.deepEqual(
        Functions?.map((f) => f.FunctionName),
        ['from-file'],
      );
      assert.match(cli.output().stdout, /AWS_ENDPOINT_URL_LAMBDA=http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      cli.child.kill('SIGTERM');
    }
    const [code] = await cli.exited;
    assert.equal(code, 0);
  });

  void it('refuses an unknown option with the usage text', async () => {
    const cli = runCli(['--bogus']);
    const [code] = await cli.exited;
    assert.equal(code, 2);
    assert.match(cli.output().stderr, /Usage: npm run emulator/);
  });

  void it('takes its token from PT_EMULATOR_TOKEN and then serves only SDK clients that present it', async () => {
    const token = randomBytes(24).toString('hex');
    const cli = runCli(['--port', '0', '--no-samples', '--time-scale', '0'], { PT_EMULATOR_TOKEN: token });
    try {
      const url = await cli.url;
      const stranger = lambdaClient(url);
      await assert.rejects(stranger.send(new ListFunctionsCommand({})), (err: unknown) => {
        assert.ok(err instanceof LambdaServiceException);
        assert.equal(err.$metadata.httpStatusCode, 403);
        return true;
      });
      stranger.destroy();
      const holder = lambdaClient(url, 1, token);
      assert.deepEqual((await holder.send(new ListFunctionsCommand({}))).Functions, []);
      holder.destroy();
      assert.match(cli.output().stdout, /Auth: token required/);
      assert.ok(!cli.output().stdout.includes(token), 'the token is never printed');
    } finally {
      cli.child.kill('SIGTERM');
    }
    const [code] = await cli.exited;
    assert.equal(code, 0);
  });

  void it('refuses to listen beyond loopback without a token', async () => {
    const cli = runCli(['--port', '0', '--host', '0.0.0.0', '--no-samples'], { PT_EMULATOR_TOKEN: '' });
    // Should it start anyway, stop it at once rather than leave it listening.
    const started = cli.url.then(
      () => true,
      () => false,
    );
    const outcome = await Promise.race([
      cli.exited.then(() => 'exited'),
      started.then((s) => (s ? 'listening' : 'exited')),
    ]);
    if (outcome === 'listening') cli.child.kill('SIGTERM');
    const [code] = await cli.exited;
    assert.equal(outcome, 'exited', 'it must not listen');
    assert.equal(code, 1);
    assert.match(cli.output().stderr, /refusing to listen on 0\.0\.0\.0 without a token/);
  });
});
