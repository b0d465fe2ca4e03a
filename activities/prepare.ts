/**
 * First look at the function before anything changes: its memory, description and architecture
 * (to restore and to price), and the payloadS3 object (to fail before any side effect).
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { InputError } from '../domain/errors.js';
import type { Architecture, TuningConfig } from '../domain/types.js';
import type { AwsClients } from './aws/clients.js';
import { rethrowAws } from './aws/errors.js';
import { getConfiguration } from './aws/lambda-control.js';
import type { S3PayloadCache } from './aws/s3-payload.js';
import type { PrepareResult } from './types.js';

export function prepareActivities(
  aws: AwsClients,
  s3Payloads: S3PayloadCache,
  workerHasSearchAttributes: () => boolean,
) {
  return {
    async prepareTuning(config: TuningConfig): Promise<PrepareResult> {
      const region = config.target.region ?? (await aws.defaultRegion());
      const lambda = aws.lambda(config.target.region);
      let prepared: PrepareResult;
      try {
        const latest = await getConfiguration(lambda, config.target.functionName);
        const architecture = (latest.Architectures?.[0] ?? 'x86_64') as Architecture;
        prepared = {
          functionName: latest.FunctionName ?? config.target.functionName,
          region,
          architecture,
          memorySize: latest.MemorySize ?? 128,
          description: latest.Description ?? '',
          searchAttributesReady: workerHasSearchAttributes(),
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
          prepared.payloadS3ETag = await s3Payloads.check(config.payloadS3, config.dryRun ? 1 : config.num);
        } catch (err) {
          if (err instanceof InputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInput');
          throw err;
        }
      }
      return prepared;
    },
  };
}
