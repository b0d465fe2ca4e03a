/**
 * First look at the function before anything changes: its memory, description and architecture
 * (to restore and to price), and the payloadS3 object (to fail before any side effect).
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { InputError } from '../domain/errors.js';
import type { Architecture, TuningConfig } from '../domain/types.js';
import type { AwsClients } from './aws-clients.js';
import { rethrowAws } from './aws-errors.js';
import { getConfiguration } from './lambda-control.js';
import type { S3PayloadCache } from './s3-payload.js';
import type { FunctionSnapshot } from './types.js';

export function prepareActivities(
  aws: AwsClients,
  s3Payloads: S3PayloadCache,
  searchAttributesReady: () => boolean,
) {
  return {
    async prepareTuning(config: TuningConfig): Promise<FunctionSnapshot> {
      const region = config.target.region ?? (await aws.defaultRegion());
      const lambda = aws.lambda(config.target.region);
      let snapshot: FunctionSnapshot;
      try {
        const latest = await getConfiguration(lambda, config.target.functionName);
        const architecture = (latest.Architectures?.[0] ?? 'x86_64') as Architecture;
        snapshot = {
          functionName: latest.FunctionName ?? config.target.functionName,
          region,
          architecture,
          memorySize: latest.MemorySize ?? 128,
          description: latest.Description ?? '',
          searchAttributesReady: searchAttributesReady(),
        };
      } catch (err) {
        rethrowAws(err, `Reading the configuration of ${config.lambdaARN}`);
      }
      const processors = [
        ['preProcessorARN', config.preProcessorARN],
        ['postProcessorARN', config.postProcessorARN],
      ] as const;
      for (const [field, arn] of processors) {
        if (!arn) continue;
        try {
          await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arn }));
        } catch (err) {
          rethrowAws(err, `Reading the configuration of the ${field} function ${arn}`);
        }
      }
      if (config.payloadS3) {
        try {
          snapshot.payloadS3ETag = await s3Payloads.check(config.payloadS3, config.dryRun ? 1 : config.num);
        } catch (err) {
          if (err instanceof InputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInput');
          throw err;
        }
      }
      return snapshot;
    },
  };
}
