/** Runs the bare-SDK reference (bench/bare-sdk.ts) in a process of its own and returns its figures. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../infra/paths.js';
import type { BarePlan, BareResult } from './bare-sdk.js';

const exec = promisify(execFile);

export async function runBareReference(plan: BarePlan): Promise<BareResult> {
  const { stdout } = await exec(
    process.execPath,
    ['--import', 'tsx', 'bench/bare-sdk.ts', JSON.stringify(plan)],
    {
      cwd: PROJECT_ROOT,
      maxBuffer: 1024 * 1024,
      timeout: 10 * 60_000,
    },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  const result = JSON.parse(last) as BareResult;
  const expected = plan.groups.reduce((sum, g) => sum + g.count, 0);
  if (result.invocations !== expected) {
    throw new Error(`bare reference made ${result.invocations} invocations, expected ${expected}`);
  }
  return result;
}
