/**
 * Which functions a fleet tunes: every `$LATEST` of the region whose name has the prefix or that
 * carries the tags (ListFunctions, then ListTags per function), or the functions listed, each
 * checked to exist. Read-only; a bad selection fails here, before any function is touched.
 */
import {
  GetFunctionConfigurationCommand,
  ListTagsCommand,
  paginateListFunctions,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ApplicationFailure } from '@temporalio/common';
import { parseFunctionTarget, splitFunctionId } from '../domain/arn.js';
import { MAX_FLEET_FUNCTIONS } from '../domain/fleet-input.js';
import { describeSelection, isSelected, uniqueMembers } from '../domain/fleet-plan.js';
import type { FleetMember, FleetSelector } from '../domain/fleet-types.js';
import type { TargetRole } from '../domain/types.js';
import type { AwsClients } from './aws/clients.js';
import { isNotFound, rethrowAws } from './aws/errors.js';
import { withKeepalive } from './keepalive.js';

export interface FleetListingInput {
  selector: FleetSelector;
  /** Absent: the worker's AWS region. */
  region?: string;
  /** The role the tuning settings name, so the listing sees the account the tunings will change. */
  role?: TargetRole;
}

/** Lookups per function (ListTags, GetFunctionConfiguration) in flight at once: well under Lambda's API rate. */
const LOOKUPS_AT_ONCE = 8;

export function fleetListingActivities(aws: AwsClients) {
  return {
    async listFleetFunctions(input: FleetListingInput): Promise<FleetMember[]> {
      const region = input.region ?? (await aws.defaultRegion());
      const members = await withKeepalive(() => select(aws, input, region));
      const unique = uniqueMembers(members);
      const what = `${describeSelection(input.selector)} in ${region}`;
      if (unique.length === 0) {
        throw ApplicationFailure.nonRetryable(
          `No function matches ${what}: nothing to tune. Check the selection and the region.`,
          'EmptyFleet',
        );
      }
      if (unique.length > MAX_FLEET_FUNCTIONS) {
        throw ApplicationFailure.nonRetryable(
          `${unique.length} functions match ${what}, more than a fleet tunes (${MAX_FLEET_FUNCTIONS}). ` +
            'Narrow the selection (a longer prefix, more tags) and tune the rest in another fleet.',
          'FleetTooLarge',
        );
      }
      return unique;
    },
  };
}

async function select(aws: AwsClients, input: FleetListingInput, region: string): Promise<FleetMember[]> {
  const selector = input.selector;
  if (selector.kind === 'functions') return checkListed(aws, selector.functions, region, input.role);
  const lambda = aws.lambda(region, input.role);
  const all = await listLatest(lambda, region);
  if (selector.kind === 'prefix') return all.filter((fn) => isSelected(fn, selector)).map(memberOf);
  // ListFunctions does not answer tags: each function is asked for its own.
  const tagged = await mapBounded(all, async (fn) => ({ ...fn, tags: await tagsOf(lambda, fn) }));
  return tagged.filter((fn) => isSelected(fn, selector)).map(memberOf);
}

interface Listed {
  functionName: string;
  config: FunctionConfiguration;
}

/** Every function's `$LATEST` in the region (ListFunctions lists `$LATEST` only unless asked for ALL). */
async function listLatest(lambda: LambdaClient, region: string): Promise<Listed[]> {
  const listed: Listed[] = [];
  try {
    for await (const page of paginateListFunctions({ client: lambda }, {})) {
      for (const config of page.Functions ?? [])
        if (config.FunctionName) listed.push({ functionName: config.FunctionName, config });
    }
  } catch (err) {
    rethrowAws(err, `Listing the functions of ${region}`);
  }
  return listed;
}

async function tagsOf(lambda: LambdaClient, fn: Listed): Promise<Record<string, string>> {
  try {
    const out = await lambda.send(new ListTagsCommand({ Resource: fn.config.FunctionArn }));
    return out.Tags ?? {};
  } catch (err) {
    // Deleted since it was listed: it has no tags to match.
    if (isNotFound(err)) return {};
    rethrowAws(err, `Reading the tags of ${fn.functionName}`);
  }
}

/** The functions named in the input, each looked up; any that does not exist fails the fleet. */
async function checkListed(
  aws: AwsClients,
  names: string[],
  region: string,
  role: TargetRole | undefined,
): Promise<FleetMember[]> {
  const missing: string[] = [];
  const found = await mapBounded(names, async (name) => {
    const target = parseFunctionTarget(name, 'functions');
    const where = target.region ?? region;
    try {
      const config = await aws
        .lambda(where, role)
        .send(new GetFunctionConfigurationCommand({ FunctionName: target.functionName }));
      return [memberOf({ functionName: config.FunctionName ?? target.name ?? name, config })];
    } catch (err) {
      if (isNotFound(err)) {
        missing.push(target.region ? name : `${name} (in ${where})`);
        return [];
      }
      rethrowAws(err, `Looking up ${name}`);
    }
  });
  if (missing.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `${missing.length === 1 ? 'This function does' : 'These functions do'} not exist: ${missing.join(', ')}. ` +
        'Nothing was tuned; check the names (and the region for bare names).',
      'FunctionNotFound',
    );
  }
  return found.flat();
}

function memberOf(fn: Listed): FleetMember {
  const parts = splitFunctionId(fn.config.FunctionArn ?? '');
  if (!parts?.region || !parts.accountId) {
    throw ApplicationFailure.nonRetryable(
      `Lambda described ${fn.functionName} without a full function ARN (got "${fn.config.FunctionArn ?? ''}")`,
      'UnexpectedAnswer',
    );
  }
  return {
    functionName: parts.name,
    functionArn: parts.unqualified,
    region: parts.region,
    accountId: parts.accountId,
    memorySize: fn.config.MemorySize ?? 128,
  };
}

/** `work` over every item, at most LOOKUPS_AT_ONCE at a time, results in the items' order. */
async function mapBounded<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, items.length) }, lane));
  return results;
}
