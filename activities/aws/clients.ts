/**
 * AWS SDK clients for the activities. Region comes from the function's ARN when it has one,
 * else from the standard AWS configuration; endpoints from the standard variables
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_CLOUDWATCH,
 * AWS_ENDPOINT_URL_STS), which the SDK reads itself.
 *
 * Calls on a function that names a role (input roleArn) are made with that role's credentials
 * (aws/assume-role.ts): its clients are kept per role session, apart from the worker's own. S3
 * has no role: the payloadS3 bucket belongs to the tuner's account, so it is read with the
 * worker's own credentials.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import type { TargetRole } from '../../domain/types.js';
import { currentRoleSessionName, roleCredentials, type RoleCredentialProvider } from './assume-role.js';

export interface AwsClients {
  /** Control-plane client: the SDK's standard retries cover throttling and 5xx. */
  lambda(region: string | undefined, role?: TargetRole): LambdaClient;
  /** Invoke client: no SDK retries, because invocations are retried by our own loop that honours Retry-After. */
  invoker(region: string | undefined, role?: TargetRole): LambdaClient;
  /** Always the worker's own credentials (see above). */
  s3(region: string | undefined): S3Client;
  /**
   * For the function's Invocations metric (invocationsPerMonth "cloudwatch"). createAwsClients
   * always has it; optional so test doubles that never read the volume can leave it out. Loaded
   * on first use: most runs never read the volume, and the SDK package costs the worker ~4 MB.
   */
  cloudwatch?(region: string | undefined, role?: TargetRole): Promise<CloudWatchClient>;
  /**
   * Assumes the role now, unless this run's session of it is still fresh, so a refused role fails
   * before any call on the function; throws assumeRoleError's error. Optional for test doubles.
   */
  assumeRole?(region: string | undefined, role: TargetRole): Promise<void>;
  /** The region the SDK resolves when the ARN has none. */
  defaultRegion(): Promise<string>;
}

export interface AwsClientOptions {
  /** The role session name of the calls being made (default: the running activity's run). */
  sessionName?: () => string;
  /** How many role sessions (each with its clients) are kept, the least recently used dropped first. */
  maxRoleSessions?: number;
}

type Client = LambdaClient | S3Client | CloudWatchClient;

/** One run's use of one role: its credentials and the clients that sign with them. */
interface RoleClients {
  credentials: RoleCredentialProvider;
  clients: Map<string, Client>;
}

/**
 * A worker runs many tunings over its life, each with its own session of a role, so the sessions
 * are bounded; a dropped one's idle connections close by themselves.
 */
const MAX_ROLE_SESSIONS = 64;

export function createAwsClients(opts: AwsClientOptions = {}): AwsClients {
  const sessionName = opts.sessionName ?? currentRoleSessionName;
  const maxSessions = opts.maxRoleSessions ?? MAX_ROLE_SESSIONS;
  const own = new Map<string, Client>();
  const sessions = new Map<string, RoleClients>();

  const sessionOf = (region: string | undefined, role: TargetRole): RoleClients => {
    const name = sessionName();
    const key = JSON.stringify([role.arn, role.externalId ?? null, name]);
    let session = sessions.get(key);
    if (session) {
      // Most recently used last, so the oldest is first to go.
      sessions.delete(key);
    } else {
      session = { credentials: roleCredentials({ role, sessionName: name, region }), clients: new Map() };
    }
    sessions.set(key, session);
    while (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value as string);
    return session;
  };

  /** The client of this kind and region, with the role's credentials when there is a role. */
  const cached = <T extends Client>(
    kind: string,
    region: string | undefined,
    role: TargetRole | undefined,
    make: (credentials: { credentials?: RoleCredentialProvider }) => T,
  ): T => {
    const session = role ? sessionOf(region, role) : undefined;
    const cache = session?.clients ?? own;
    const key = `${kind}:${region ?? ''}`;
    let client = cache.get(key) as T | undefined;
    if (!client) {
      client = make(session ? { credentials: session.credentials } : {});
      cache.set(key, client);
    }
    return client;
  };

  return {
    lambda: (region, role) =>
      cached(
        'lambda',
        region,
        role,
        (auth) => new LambdaClient({ region, maxAttempts: 8, retryMode: 'standard', ...auth }),
      ),
    invoker: (region, role) =>
      cached('invoke', region, role, (auth) => new LambdaClient({ region, maxAttempts: 1, ...auth })),
    s3: (region) =>
      cached(
        's3',
        region,
        undefined,
        () => new S3Client({ region, forcePathStyle: usePathStyle(), maxAttempts: 5 }),
      ),
    cloudwatch: async (region, role) => {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      return cached(
        'cloudwatch',
        region,
        role,
        (auth) => new CloudWatchClient({ region, maxAttempts: 5, ...auth }),
      );
    },
    assumeRole: async (region, role) => {
      await sessionOf(region, role).credentials();
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
