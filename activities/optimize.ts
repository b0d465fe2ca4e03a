/**
 * autoOptimize: leave `$LATEST` at the chosen memory; with autoOptimizeAlias, also publish it
 * and point that alias at the new version. Versions published here carry the function's own
 * description, so cleanup never deletes them.
 */
import type { AwsClients } from './aws/clients.js';
import { rethrowAws } from './aws/errors.js';
import { controlPlaneName } from './aws/function-name.js';
import { withKeepalive } from './keepalive.js';
import { pointAlias, publishVersion, updateLatest } from './aws/lambda-control.js';
import type { OptimizeInput } from './types.js';

export function optimizeActivities(aws: AwsClients) {
  return {
    async optimizeFunction(input: OptimizeInput): Promise<{ version?: string }> {
      return withKeepalive(() => optimize(input));
    },
  };

  async function optimize(input: OptimizeInput): Promise<{ version?: string }> {
    const lambda = aws.lambda(input.target.region, input.target.role);
    const name = input.target.functionName;
    try {
      const fn = await controlPlaneName(lambda, input.target);
      await updateLatest(lambda, fn, { MemorySize: input.power, Description: input.originalDescription });
      if (!input.alias) return {};
      const published = await publishVersion(lambda, fn);
      if (!published.Version) throw new Error('PublishVersion returned no version');
      await pointAlias(lambda, fn, input.alias, published.Version);
      return { version: published.Version };
    } catch (err) {
      rethrowAws(err, `Applying ${input.power} MB to ${name}`);
    }
  }
}
