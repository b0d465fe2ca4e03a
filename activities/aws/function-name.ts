/**
 * Which FunctionName the control-plane calls (aliases, versions, configuration updates) send.
 *
 * AWS takes a bare name, a partial ARN or a full ARN everywhere, but other Lambda implementations
 * do not: moto 5.2.5 answers ListAliases for a full ARN with "function not found" (which a
 * cleanup reads as "the function was deleted") and ListVersionsByFunction with an empty list.
 * So an ARN is turned into the function's canonical name, as GetFunctionConfiguration reports it,
 * once it is certain that the name reaches the very same function: the name is looked up in the
 * client's region (which is the ARN's) and the ARN it resolves to must be the one given. A
 * function of another account is reachable only through its ARN, so the ARN is kept then.
 */
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { splitFunctionId } from '../../domain/arn.js';
import type { FunctionTarget } from '../../domain/types.js';
import { errorName, isNotFound } from './errors.js';

/** Looking the bare name up may be refused when the caller only has rights on the ARN it was given. */
const DENIED = new Set(['AccessDeniedException', 'AccessDenied']);

export async function controlPlaneName(lambda: LambdaClient, target: FunctionTarget): Promise<string> {
  const given = splitFunctionId(target.functionName);
  const name = target.name ?? given?.name;
  // Already a bare name (or something no rule recognises, which Lambda will judge itself).
  if (!given || !name || given.unqualified === name) return target.functionName;
  let resolved;
  try {
    resolved = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  } catch (err) {
    // Not in the caller's account under that name: only the ARN reaches it.
    if (isNotFound(err) || DENIED.has(errorName(err))) return target.functionName;
    throw err;
  }
  const found = splitFunctionId(resolved.FunctionArn ?? '');
  const same =
    found !== undefined &&
    found.name === name &&
    (given.accountId === undefined || found.accountId === given.accountId) &&
    (given.region === undefined || found.region === given.region) &&
    (given.partition === undefined || found.partition === given.partition);
  return same ? (resolved.FunctionName ?? name) : target.functionName;
}
