/**
 * `powertune cleanup <function>`: puts back a function that tunings left behind (terminated runs,
 * or servers that ended them) and removes their leftovers. One activity does it all, repeatably;
 * with dryRun it only reports what it would do.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { StrandedCleanupReport } from '../activities/types.js';
import { parseFunctionTarget } from '../domain/arn.js';
import { InputError } from '../domain/errors.js';
import { runTag } from '../domain/naming.js';
import { readTargetRole } from '../domain/role.js';
import { acts, cleanupOptions } from './activity-options.js';
import { withContext } from './steps.js';

export interface CleanupFunctionInput {
  /** Function name, partial or full ARN (unqualified). */
  lambdaARN: string;
  /** Only list what would be done. */
  dryRun?: boolean;
  /** Clean up even when the run holding the lock cannot be looked up. */
  force?: boolean;
  /** The IAM role to assume for the function's calls (a function in another account), as a tuning's roleArn. */
  roleArn?: string;
  /** With roleArn: the external id the role's trust policy expects. */
  externalId?: string;
}

export async function cleanupFunction(input: CleanupFunctionInput): Promise<StrandedCleanupReport> {
  let target;
  try {
    target = parseFunctionTarget(input?.lambdaARN, 'lambdaARN');
    // Only when given, so the activity inputs of cleanups without a role stay as they were.
    const role = readTargetRole(input.roleArn, input.externalId, target.partition);
    if (role) target.role = role;
  } catch (err) {
    const message = err instanceof InputError ? err.message : `lambdaARN: ${String(err)}`;
    throw ApplicationFailure.nonRetryable(message, 'InvalidInput');
  }
  return withContext(`Cleaning up ${input.lambdaARN}`, () =>
    acts.cleanupStrandedFunction.executeWithOptions(
      { ...cleanupOptions, summary: `cleanup ${input.lambdaARN}` },
      [
        {
          target,
          workflowId: workflowInfo().workflowId,
          tag: runTag(workflowInfo().runId),
          dryRun: input.dryRun === true,
          force: input.force === true,
        },
      ],
    ),
  );
}
