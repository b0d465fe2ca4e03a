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
  type AliasConfiguration,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { sleep } from '@temporalio/activity';
import { isConflict, isNotFound } from './errors.js';
import {
  activeVerdict,
  configurationPoll,
  updateVerdict,
  waitFor,
  type WaitBounds,
} from './wait-for-state.js';

/**
 * Wait bounds: Lambda updates take seconds, so the first re-check comes after a quarter second;
 * SnapStart versions can take minutes.
 */
const UPDATE_WAIT: WaitBounds = { maxWaitMs: 300_000, minDelayMs: 250, maxDelayMs: 5_000 };
const VERSION_ACTIVE_WAIT: WaitBounds = { maxWaitMs: 900_000, minDelayMs: 500, maxDelayMs: 10_000 };

export async function getConfiguration(
  lambda: LambdaClient,
  functionName: string,
  qualifier?: string,
): Promise<FunctionConfiguration> {
  return lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
  );
}

/** Until no update of `$LATEST` is in progress; a deleted function ends the wait at once. */
export async function waitForUpdate(lambda: LambdaClient, functionName: string): Promise<void> {
  await waitFor(
    `Updating ${functionName}`,
    UPDATE_WAIT,
    configurationPoll(lambda, functionName, undefined, updateVerdict),
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
  await waitFor(
    `Activating ${functionName}:${version}`,
    VERSION_ACTIVE_WAIT,
    configurationPoll(lambda, functionName, version, activeVerdict),
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
