/**
 * AWS SDK clients for the activities. Region comes from the function's ARN when it has one,
 * else from the standard AWS configuration; endpoints from the standard variables
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_CLOUDWATCH),
 * which the SDK reads itself.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsClients {
  /** Control-plane client: the SDK's standard retries cover throttling and 5xx. */
  lambda(region: string | undefined): LambdaClient;
  /** Invoke client: no SDK retries, because invocations are retried by our own loop that honours Retry-After. */
  invoker(region: string | undefined): LambdaClient;
  s3(region: string | undefined): S3Client;
  /**
   * For the function's Invocations metric (invocationsPerMonth "cloudwatch"). createAwsClients
   * always has it; optional so test doubles that never read the volume can leave it out. Loaded
   * on first use: most runs never read the volume, and the SDK package costs the worker ~4 MB.
   */
  cloudwatch?(region: string | undefined): Promise<CloudWatchClient>;
  /** The region the SDK resolves when the ARN has none. */
  defaultRegion(): Promise<string>;
}

export function createAwsClients(): AwsClients {
  type Client = LambdaClient | S3Client | CloudWatchClient;
  const cache = new Map<string, Client>();
  const cached = <T extends Client>(key: string, make: () => T): T => {
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      cache.set(key, client);
    }
    return client;
  };
  return {
    lambda: (region) =>
      cached(
        `lambda:${region ?? ''}`,
        () => new LambdaClient({ region, maxAttempts: 8, retryMode: 'standard' }),
      ),
    invoker: (region) => cached(`invoke:${region ?? ''}`, () => new LambdaClient({ region, maxAttempts: 1 })),
    s3: (region) =>
      cached(
        `s3:${region ?? ''}`,
        () => new S3Client({ region, forcePathStyle: usePathStyle(), maxAttempts: 5 }),
      ),
    cloudwatch: async (region) => {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      return cached(`cloudwatch:${region ?? ''}`, () => new CloudWatchClient({ region, maxAttempts: 5 }));
    },
    defaultRegion: async () => {
      const region = await new LambdaClient({}).config.region();
      if (!region) throw new Error('No AWS region: set AWS_REGION or use a full function ARN.');
      return region;
    },
  };
}

/** S3-compatible local servers (moto, MinIO) need path-style addressing. */
function usePathStyle(): boolean {
  const flag = process.env.AWS_S3_FORCE_PATH_STYLE;
  if (flag !== undefined) return flag === 'true' || flag === '1';
  return Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
}
