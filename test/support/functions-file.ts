/**
 * Writes an emulator functions file for a test: synthetic profiles and the real test handlers
 * in test/fixtures/functions, each recording what it receives into a file of the test's own.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/functions/', import.meta.url));

export interface TestFunctions {
  file: string;
  /** Lines recorded by the function with this name (JSON-parsed). */
  recorded(name: string): unknown[];
}

export function writeTestFunctions(
  synthetic: Record<string, Record<string, unknown>>,
  real: Record<string, { code: string; memorySize?: number; description?: string }> = {},
  extra: Record<string, Record<string, unknown>> = {},
): TestFunctions {
  const dir = mkdtempSync(join(tmpdir(), 'pt-functions-'));
  const recordFile = (name: string) => join(dir, `${name}.jsonl`);
  const functions = [
    ...Object.entries(synthetic).map(([name, profile]) => ({
      name,
      synthetic: profile,
      description: 'synthetic test function',
      timeout: 60,
      ...extra[name],
    })),
    ...Object.entries(real).map(([name, spec]) => ({
      name,
      code: join(FIXTURES, spec.code),
      memorySize: spec.memorySize ?? 128,
      description: spec.description ?? `test function ${name}`,
      timeout: 30,
      environment: { RECORD_FILE: recordFile(name) },
      ...extra[name],
    })),
  ];
  const file = join(dir, 'functions.json');
  writeFileSync(file, JSON.stringify({ functions }, null, 2));
  return {
    file,
    recorded(name) {
      const path = recordFile(name);
      if (!existsSync(path)) return [];
      return readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown);
    },
  };
}
