/**
 * First look at the function before anything changes: its memory, description and architecture
 * (to restore and to price), the payloadS3 object (to fail before any side effect), and with
 * invocationsPerMonth "cloudwatch" its recent volume (before the tuning's own invocations).
 */
import {
  GetFunctionConfigurationCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { InputError } from '../domain/errors.js';
import { codeMismatchProblem } from '../domain/qualified-code.js';
import type { Architecture, TargetRole, TuningConfig } from '../domain/types.js';
import { measuredVolume, VOLUME_FROM_CLOUDWATCH, type MeasuredVolume } from '../domain/volume.js';
import type { AwsClients } from './aws/clients.js';
import { errorName, rethrowAws } from './aws/errors.js';
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
      const lambda = aws.lambda(config.target.region, config.target.role);
      let prepared: PrepareResult;
      let latest: FunctionConfiguration;
      try {
        latest = await getConfiguration(lambda, config.target.functionName);
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
      const { qualifier } = config.target;
      if (qualifier !== undefined) {
        const version = await qualifiedVersion(lambda, config, prepared.functionName, qualifier, latest);
        // Today's size is the named version's: that is what production runs.
        prepared.memorySize = version.memorySize;
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
      if (config.invocationsPerMonth === VOLUME_FROM_CLOUDWATCH) {
        const windowDays = config.volumeWindowDays;
        if (windowDays === undefined)
          throw new Error('invocationsPerMonth "cloudwatch" without volumeWindowDays');
        prepared.volume = await readVolume(
          aws,
          config.target.region,
          prepared.functionName,
          windowDays,
          config.target.role,
        );
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

/**
 * The named version (or the alias's primary version): its memory, after checking that $LATEST
 * (as just read) runs its code. Fails with CodeMismatch (not retried) when it does not, unless allowed.
 */
async function qualifiedVersion(
  lambda: LambdaClient,
  config: TuningConfig,
  functionName: string,
  qualifier: string,
  latest: FunctionConfiguration,
): Promise<{ memorySize: number }> {
  let named: FunctionConfiguration;
  try {
    named = await getConfiguration(lambda, config.target.functionName, qualifier);
  } catch (err) {
    rethrowAws(err, `Reading version or alias ${qualifier} of ${functionName}`);
  }
  const problem = codeMismatchProblem(
    {
      functionName,
      qualifier,
      version: named.Version ?? qualifier,
      codeSha256: named.CodeSha256 ?? '',
      latestCodeSha256: latest.CodeSha256 ?? '',
    },
    config.allowCodeMismatch === true,
  );
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'CodeMismatch');
  return { memorySize: named.MemorySize ?? 128 };
}

const DAY_MS = 86_400_000;

/**
 * The function's invocations over the last `windowDays` days, from CloudWatch's daily sums of
 * `AWS/Lambda` `Invocations` for the function name (every version and alias, so earlier tunings
 * inside the window count too). No datapoint means no invocation: a volume of 0, not an error.
 */
export async function readVolume(
  aws: AwsClients,
  region: string | undefined,
  functionName: string,
  windowDays: number,
  role?: TargetRole,
): Promise<MeasuredVolume> {
  const client = await aws.cloudwatch?.(region, role);
  if (!client) throw new Error('These AWS clients have no CloudWatch client');
  const { GetMetricStatisticsCommand } = await import('@aws-sdk/client-cloudwatch');
  const end = new Date();
  const context = `Reading the Invocations metric of ${functionName} from CloudWatch`;
  try {
    const out = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'FunctionName', Value: functionName }],
        StartTime: new Date(end.getTime() - windowDays * DAY_MS),
        EndTime: end,
        Period: DAY_MS / 1000,
        Statistics: ['Sum'],
      }),
    );
    const invocations = (out.Datapoints ?? []).reduce((sum, point) => sum + (point.Sum ?? 0), 0);
    return measuredVolume(invocations, windowDays);
  } catch (err) {
    if (errorName(err).startsWith('AccessDenied')) {
      // Only this feature needs the grant, so say which one: the policy may predate it.
      throw ApplicationFailure.nonRetryable(
        `${context}: ${role ? `the role ${role.arn}` : 'the worker'} is not allowed cloudwatch:GetMetricStatistics (add it to its IAM ` +
          `policy, or give invocationsPerMonth as a number): ${(err as Error).message}`,
        errorName(err),
      );
    }
    rethrowAws(err, context);
  }
}
