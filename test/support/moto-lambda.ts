/**
 * moto's Lambda as a second, independent Lambda implementation: a private moto server (its
 * Lambda config is server-wide, so it is not the shared S3 one) with `use_docker: false`, where
 * functions can be created, versioned and aliased but their code never runs (an invocation
 * answers without a log). Enough for every control-plane step; a tuning fails at invocation.
 */
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startMoto, type MotoServer } from '../../infra/moto.js';
import { zip } from '../emulator/helpers.js';

/** moto's default account; ARNs of the functions created here carry it. */
export const MOTO_ACCOUNT = '123456789012';
export const MOTO_REGION = 'us-east-1';
const ROLE_NAME = 'power-tuning-test-role';

export interface MotoLambda {
  endpoint: string;
  /** A control-plane client for the test's own reads and writes. */
  lambda: LambdaClient;
  /** Creates a function (Node.js, a one-line handler) and returns its full ARN. */
  createFunction(name: string, opts: { memorySize: number; description: string }): Promise<string>;
  stop(): Promise<void>;
}

export async function startMotoLambda(): Promise<MotoLambda> {
  const server: MotoServer = await startMoto({
    config: { lambda: { use_docker: false } },
    log: () => undefined,
  });
  const lambda = new LambdaClient({
    endpoint: server.endpoint,
    region: MOTO_REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    const role = await createRole(server.endpoint);
    return {
      endpoint: server.endpoint,
      lambda,
      async createFunction(name, opts) {
        const created = await lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: 'nodejs20.x',
            Role: role,
            Handler: 'index.handler',
            Code: { ZipFile: zip({ 'index.mjs': 'export const handler = async () => ({ ok: true });\n' }) },
            MemorySize: opts.memorySize,
            Description: opts.description,
          }),
        );
        if (!created.FunctionArn) throw new Error(`moto created ${name} without an ARN`);
        return created.FunctionArn;
      },
      async stop() {
        lambda.destroy();
        await server.stop();
      },
    };
  } catch (err) {
    lambda.destroy();
    await server.stop();
    throw err;
  }
}

/**
 * moto's CreateFunction wants an existing IAM role. The project has no IAM client, so this is
 * IAM's plain query API (a form POST); moto picks the service from the SigV4 credential scope
 * and does not check the signature.
 */
async function createRole(endpoint: string): Promise<string> {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/${MOTO_REGION}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: ROLE_NAME,
      AssumeRolePolicyDocument: JSON.stringify(trust),
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(body)?.[1];
  if (!res.ok || !arn) throw new Error(`moto's IAM did not create the role (HTTP ${res.status}): ${body}`);
  return arn;
}
