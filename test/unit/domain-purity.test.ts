/**
 * domain/ is bundled into Temporal's deterministic workflow sandbox: a static scan keeps out
 * what would break determinism or the bundle (the bundler itself is exercised by the worker).
 */

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

const DOMAIN = new URL('../../domain/', import.meta.url);
const files = readdirSync(DOMAIN).filter((name) => name.endsWith('.ts'));

const FORBIDDEN: [RegExp, string][] = [
  [/from ['"]node:/, 'Node built-in import'],
  [/from ['"](fs|path|crypto|os|child_process|buffer)['"]/, 'Node built-in import'],
  [/from ['"]@aws-sdk\//, 'AWS SDK import'],
  [/\bBuffer\b/, 'Buffer (not in the sandbox)'],
  [/\bDate\b/, 'Date (use workflow time)'],
  [/Math\.random/, 'Math.random (not deterministic)'],
  [/\bprocess\./, 'process (not in the sandbox)'],
  [/\brequire\(/, 'require'],
  [/\b(setTimeout|setInterval)\(/, 'timers'],
];

describe('domain purity', () => {
  it('finds the domain files', () => {
    assert.ok(files.length >= 15, files.join(', '));
  });

  for (const file of files) {
    it(`${file} uses nothing the workflow sandbox forbids`, () => {
      const code = readFileSync(new URL(file, DOMAIN), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const [pattern, what] of FORBIDDEN) assert.doesNotMatch(code, pattern, `${file}: ${what}`);
    });
  }
});
