/**
 * A moto server of a test's own with IAM checks on, for tests of AssumeRole: users, roles and
 * policies are made through moto's IAM API while checks are off, then `enforce()` turns them on
 * (moto's `/moto-api/reset-auth`), after which every request must be signed by a known key and be
 * allowed by its policies. The switch is server-wide, hence a server of its own, never the shared one.
 */
import { startMoto, type MotoServer } from '../../infra/moto.js';

const REQUEST_TIMEOUT_MS = 10_000;

export interface IamUserKey {
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
}

/** One AssumeRole moto answered, as its `/moto-api/data.json` lists it. */
export interface AssumedRoleRecord {
  access_key_id: string;
  role_arn: string;
  session_name: string;
  external_id: string | null;
}

export interface MotoIam {
  endpoint: string;
  /** An IAM user with one access key, in moto's default account (123456789012). */
  createUser(name: string): Promise<IamUserKey>;
  putUserPolicy(user: string, policyName: string, document: unknown): Promise<void>;
  createRole(name: string, trustPolicy: unknown): Promise<string>;
  /** From now on every request is checked: signature, then the caller's policies (and trust policies). */
  enforce(): Promise<void>;
  /** Every AssumeRole moto granted so far. */
  assumedRoles(): Promise<AssumedRoleRecord[]>;
  stop(): Promise<void>;
}

export async function startMotoIam(): Promise<MotoIam> {
  const moto: MotoServer = await startMoto({ log: () => undefined });
  /** An IAM query call; the Authorization header only routes it to IAM (checks are off until enforce). */
  const iam = async (params: Record<string, string>): Promise<string> => {
    const res = await fetch(moto.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/iam/aws4_request, ' +
          'SignedHeaders=host, Signature=0',
      },
      body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`moto IAM ${params.Action} failed (HTTP ${res.status}): ${text}`);
    return text;
  };
  const field = (xml: string, name: string): string => {
    const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
    if (!value) throw new Error(`moto's answer has no ${name}: ${xml}`);
    return value;
  };
  return {
    endpoint: moto.endpoint,
    async createUser(name) {
      const user = await iam({ Action: 'CreateUser', UserName: name });
      const key = await iam({ Action: 'CreateAccessKey', UserName: name });
      return {
        accessKeyId: field(key, 'AccessKeyId'),
        secretAccessKey: field(key, 'SecretAccessKey'),
        arn: field(user, 'Arn'),
      };
    },
    async putUserPolicy(user, policyName, document) {
      await iam({
        Action: 'PutUserPolicy',
        UserName: user,
        PolicyName: policyName,
        PolicyDocument: JSON.stringify(document),
      });
    },
    async createRole(name, trustPolicy) {
      const role = await iam({
        Action: 'CreateRole',
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
      });
      return field(role, 'Arn');
    },
    async enforce() {
      const res = await fetch(`${moto.endpoint}/moto-api/reset-auth`, {
        method: 'POST',
        body: '0',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`moto refused to turn IAM checks on (HTTP ${res.status}): ${text}`);
    },
    async assumedRoles() {
      const res = await fetch(`${moto.endpoint}/moto-api/data.json`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const data = (await res.json()) as { sts?: { AssumedRole?: AssumedRoleRecord[] } };
      return data.sts?.AssumedRole ?? [];
    },
    stop: () => moto.stop(),
  };
}

/** A policy file of iam/ with its `<PLACEHOLDER>`s filled in; throws if one is left or unknown. */
export function fillPolicy(template: unknown, values: Record<string, string>): unknown {
  const text = JSON.stringify(template).replace(/<([A-Z_]+)>/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the placeholder <${name}>`);
    return value;
  });
  return JSON.parse(text) as unknown;
}
