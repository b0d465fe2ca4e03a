/**
 * Switching `$LATEST` between x86_64 and arm64 for a tuning over both architectures, with the
 * function's own package (activities/aws/architecture-switch.ts). Only while this run holds the
 * lock: a terminated run's step must not switch a function someone else now owns.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AwsClients } from './aws/clients.js';
import { putCodeOnArchitecture, readSavedCode } from './aws/architecture-switch.js';
import { rethrowAws } from './aws/errors.js';
import { controlPlaneName } from './aws/function-name.js';
import { withKeepalive } from './keepalive.js';
import { assertStillOurs } from './setup.js';
import type { SwitchArchitectureInput, SwitchArchitectureResult } from './types.js';

export function architectureActivities(aws: AwsClients) {
  return {
    async switchArchitecture(input: SwitchArchitectureInput): Promise<SwitchArchitectureResult> {
      return withKeepalive(() => switchTo(input));
    },
  };

  async function switchTo(input: SwitchArchitectureInput): Promise<SwitchArchitectureResult> {
    const { target, architecture } = input;
    const lambda = aws.lambda(target.region, target.role);
    const signal = Context.current().cancellationSignal;
    try {
      const fn = await controlPlaneName(lambda, target);
      await assertStillOurs(lambda, fn, target.functionName, input.tag, signal);
      const saved = await readSavedCode(lambda, fn, input.savedVersion);
      const switched = await putCodeOnArchitecture(lambda, fn, target.functionName, saved, architecture);
      return { architecture, switched };
    } catch (err) {
      if (err instanceof ApplicationFailure || signal.aborted) throw err;
      rethrowAws(err, `Switching ${target.functionName} to ${architecture}`);
    }
  }
}
