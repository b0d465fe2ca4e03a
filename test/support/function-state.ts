/**
 * What a function looks like from the outside, read through the official SDK, so tests can
 * assert that a tuning left nothing behind and put `$LATEST` back.
 */
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  paginateListAliases,
  paginateListVersionsByFunction,
} from '@aws-sdk/client-lambda';

export interface FunctionState {
  memorySize: number | undefined;
  description: string | undefined;
  versions: string[];
  aliases: { name: string; version: string }[];
}

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

export async function functionState(lambda: LambdaClient, name: string): Promise<FunctionState> {
  const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const versions: string[] = [];
  for await (const page of paginateListVersionsByFunction({ client: lambda }, { FunctionName: name })) {
    versions.push(...(page.Versions ?? []).map((v) => v.Version ?? '?'));
  }
  const aliases: { name: string; version: string }[] = [];
  for await (const page of paginateListAliases({ client: lambda }, { FunctionName: name })) {
    aliases.push(
      ...(page.Aliases ?? []).map((a) => ({ name: a.Name ?? '?', version: a.FunctionVersion ?? '?' })),
    );
  }
  return { memorySize: latest.MemorySize, description: latest.Description, versions, aliases };
}
