/**
 * What a function looks like from the outside, read through the official SDK, so tests can
 * assert that a tuning left nothing behind and put `$LATEST` back.
 */
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  type ListAliasesCommandOutput,
  type ListVersionsByFunctionCommandOutput,
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
  let marker: string | undefined;
  do {
    const page: ListVersionsByFunctionCommandOutput = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }),
    );
    versions.push(...(page.Versions ?? []).map((v) => v.Version ?? '?'));
    marker = page.NextMarker;
  } while (marker);
  const aliases: { name: string; version: string }[] = [];
  marker = undefined;
  do {
    const page: ListAliasesCommandOutput = await lambda.send(
      new ListAliasesCommand({ FunctionName: name, Marker: marker }),
    );
    aliases.push(
      ...(page.Aliases ?? []).map((a) => ({ name: a.Name ?? '?', version: a.FunctionVersion ?? '?' })),
    );
    marker = page.NextMarker;
  } while (marker);
  return { memorySize: latest.MemorySize, description: latest.Description, versions, aliases };
}
