/**
 * Control-plane steps shared by setup, optimize and cleanup. Each one is safe to repeat,
 * because an activity may run again after a crash.
 */
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  paginateListAliases,
  paginateListVersionsByFunction,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type AliasConfiguration,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { sleep } from '@temporalio/activity';
import { isConflict, isNotFound } from './errors.js';

/** Waiter bounds: Lambda updates take seconds; SnapStart versions can take minutes. */
const UPDATE_WAIT_S = 300;
const VERSION_ACTIVE_WAIT_S = 900;

export async function getConfiguration(
  lambda: LambdaClient,
  functionName: string,
  qualifier?: string,
): Promise<FunctionConfiguration> {
  return lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
  );
}

export async function waitForUpdate(lambda: LambdaClient, functionName: string): Promise<void> {
  await waitUntilFunctionUpdatedV2(
    // First re-check after a quarter second: most updates finish within a second or two.
    { client: lambda, maxWaitTime: UPDATE_WAIT_S, minDelay: 0.25, maxDelay: 5 },
    { FunctionName: functionName },
  );
}

/**
 * Updates `$LATEST`, waiting out any update already in progress (ResourceConflictException)
 * and then for this one to finish.
 */
export async function updateLatest(
  lambda: LambdaClient,
  functionName: string,
  change: { MemorySize?: number; Description?: string },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await waitForUpdate(lambda, functionName);
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, ...change }));
      break;
    } catch (err) {
      if (!isConflict(err) || attempt >= 10) throw err;
      await sleep(Math.min(1000 * attempt, 5000));
    }
  }
  await waitForUpdate(lambda, functionName);
}

/** Publishes `$LATEST` as a version, retrying while another update holds the function. */
export async function publishVersion(
  lambda: LambdaClient,
  functionName: string,
  description?: string,
): Promise<FunctionConfiguration> {
  for (let attempt = 1; ; attempt++) {
    try {
      await waitForUpdate(lambda, functionName);
      return await lambda.send(
        new PublishVersionCommand({ FunctionName: functionName, Description: description }),
      );
    } catch (err) {
      if (!isConflict(err) || attempt >= 10) throw err;
      await sleep(Math.min(1000 * attempt, 5000));
    }
  }
}

/** New versions may start Pending (SnapStart); invocations must wait until they are Active. */
export async function waitForVersionActive(
  lambda: LambdaClient,
  functionName: string,
  version: string,
): Promise<void> {
  await waitUntilPublishedVersionActive(
    { client: lambda, maxWaitTime: VERSION_ACTIVE_WAIT_S, minDelay: 0.5, maxDelay: 10 },
    { FunctionName: functionName, Qualifier: version },
  );
}

export async function getAlias(
  lambda: LambdaClient,
  functionName: string,
  name: string,
): Promise<AliasConfiguration | undefined> {
  try {
    return await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: name }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Points `name` at `version`, creating the alias or moving it. */
export async function pointAlias(
  lambda: LambdaClient,
  functionName: string,
  name: string,
  version: string,
): Promise<void> {
  const existing = await getAlias(lambda, functionName, name);
  if (existing?.FunctionVersion === version) return;
  if (existing) {
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }),
    );
    return;
  }
  try {
    await lambda.send(
      new CreateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }),
    );
  } catch (err) {
    // Created by a concurrent attempt between our check and our create: move it instead.
    if (!isConflict(err)) throw err;
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }),
    );
  }
}

export async function listAllAliases(
  lambda: LambdaClient,
  functionName: string,
): Promise<AliasConfiguration[]> {
  const all: AliasConfiguration[] = [];
  for await (const page of paginateListAliases(
    { client: lambda, pageSize: 50 },
    { FunctionName: functionName },
  )) {
    all.push(...(page.Aliases ?? []));
  }
  return all;
}

export async function listAllVersions(
  lambda: LambdaClient,
  functionName: string,
): Promise<FunctionConfiguration[]> {
  const all: FunctionConfiguration[] = [];
  const pages = paginateListVersionsByFunction(
    { client: lambda, pageSize: 50 },
    { FunctionName: functionName },
  );
  for await (const page of pages) all.push(...(page.Versions ?? []));
  return all;
}

/** The highest published version number, 0 when none is published. */
export async function newestVersionNumber(lambda: LambdaClient, functionName: string): Promise<number> {
  const versions = await listAllVersions(lambda, functionName);
  return versions.reduce(
    (max, v) => (/^\d+$/.test(v.Version ?? '') ? Math.max(max, Number(v.Version)) : max),
    0,
  );
}
