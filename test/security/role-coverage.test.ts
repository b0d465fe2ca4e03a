/**
 * With roleArn, every call on the function must be made with the role (iam/README.md, "Tuning
 * functions in other accounts"): a client made without it would act with the worker's own
 * credentials, in the wrong account. So every Lambda and CloudWatch client the activities make
 * names a role (the target's, possibly undefined), and only S3 clients (the tuner's own payload
 * bucket) go without one.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ACTIVITIES = path.join(ROOT, 'activities');
/** Where the clients are made: the only file allowed to call its own methods without a role. */
const CLIENTS = path.join(ACTIVITIES, 'aws', 'clients.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The text between the parenthesis at `open` and its match. */
function argumentsAt(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) return source.slice(open + 1, i);
  }
  throw new Error(`unbalanced parentheses after offset ${open}`);
}

/** Top-level arguments of a call's argument text (no nested commas). */
function argumentCount(args: string): number {
  if (args.trim() === '') return 0;
  let depth = 0;
  let count = 1;
  for (const char of args) {
    if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === ',' && depth === 0) count++;
  }
  return args.trim().endsWith(',') ? count - 1 : count;
}

interface ClientCall {
  where: string;
  method: string;
  args: number;
}

function clientCalls(source: string, file: string): ClientCall[] {
  const calls: ClientCall[] = [];
  const pattern = /\.(lambda|invoker|cloudwatch)(\?\.)?\(/g;
  for (const match of source.matchAll(pattern)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    const line = source.slice(0, match.index).split('\n').length;
    calls.push({
      where: `${path.relative(ROOT, file)}:${line}`,
      method: match[1] as string,
      args: argumentCount(argumentsAt(source, open)),
    });
  }
  return calls;
}

describe('the target role reaches every client of the function', () => {
  it('finds client calls and counts their arguments', () => {
    const calls = clientCalls(
      [
        'const a = aws.lambda(input.target.region, input.target.role);',
        'const b = aws.invoker(region);',
        'const c = await aws.cloudwatch?.(region, f(x, y));',
        'const d = aws\n  .lambda(where, role)\n  .send(x);',
      ].join('\n'),
      path.join(ROOT, 'x.ts'),
    );
    assert.deepEqual(
      calls.map((c) => [c.where, c.method, c.args]),
      [
        ['x.ts:1', 'lambda', 2],
        ['x.ts:2', 'invoker', 1],
        ['x.ts:3', 'cloudwatch', 2],
        ['x.ts:5', 'lambda', 2],
      ],
    );
  });

  it('has every Lambda and CloudWatch client of activities/ made with a role', () => {
    const calls = sourceFiles(ACTIVITIES)
      .filter((file) => file !== CLIENTS)
      .flatMap((file) => clientCalls(fs.readFileSync(file, 'utf8'), file));
    // The scan must see the clients of the tuning loop, or it is not looking at the right code.
    for (const method of ['lambda', 'invoker', 'cloudwatch'])
      assert.ok(
        calls.some((c) => c.method === method),
        `no ${method}( call found under activities/`,
      );
    const withoutRole = calls.filter((c) => c.args < 2).map((c) => `${c.where} (${c.method})`);
    assert.deepEqual(
      withoutRole,
      [],
      "these clients would act with the worker's own credentials: pass the target's role (target.role)",
    );
  });
});
