/**
 * Payload rules: how a JSON value becomes the request body, the weighted form, how
 * invocations are shared between weighted payloads, and in which order they are sent.
 */
import { utf8ByteLength } from './base64.js';
import { describeValue } from './describe.js';
import { InputError } from './errors.js';
import { MAX_INLINE_PAYLOAD_BYTES } from './limits.js';
import type { PayloadSpec } from './types.js';

/**
 * The body Lambda receives. Strings that are already JSON pass through unchanged (so
 * `'{"a":1}'` is sent as an object and `'5'` as the number 5); any other string is sent
 * as a JSON string; other values are serialised. undefined means "no payload".
 */
export function convertPayload(payload: unknown): string | undefined {
  if (payload === undefined) return undefined;
  if (typeof payload === 'string') return isJsonText(payload) ? payload : JSON.stringify(payload);
  return JSON.stringify(payload);
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** How an array payload reads: every entry `{payload, weight}`, none, or a confusing mix. */
export type PayloadShape = 'plain' | 'weighted' | 'mixed';

/** An object with both a `payload` and a `weight` key (of its own). */
export function isWeightedEntryShape(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.prototype.hasOwnProperty.call(value, 'payload') &&
    Object.prototype.hasOwnProperty.call(value, 'weight')
  );
}

/**
 * Weighted when the value is a non-empty array whose every entry is an object with both a
 * `payload` and a `weight` key; mixed when only some are (almost surely a mistake); else
 * plain, and the whole value is sent as one payload.
 */
export function payloadShape(value: unknown): PayloadShape {
  if (!Array.isArray(value) || value.length === 0) return 'plain';
  const weighted = value.filter(isWeightedEntryShape).length;
  if (weighted === 0) return 'plain';
  return weighted === value.length ? 'weighted' : 'mixed';
}

/** True when `payloadShape` says weighted (weights themselves are checked by the validator). */
export function isWeightedPayload(value: unknown): value is { payload: unknown; weight: unknown }[] {
  return payloadShape(value) === 'weighted';
}

/**
 * Largest-remainder allocation of `num` invocations by weight: each entry gets
 * floor(w·num/Σw), and the leftover invocations go one each to the entries with the
 * largest fractional remainders (ties to the earlier entry). Sums to `num` exactly.
 */
export function allocateWeighted(weights: readonly number[], num: number): number[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0) || !Number.isFinite(total))
    throw new Error('allocateWeighted needs finite positive weights');
  if (!Number.isInteger(num) || num < 0) throw new Error('allocateWeighted needs a non-negative integer num');
  const counts = weights.map((w) => Math.floor((w * num) / total));
  const remainders = weights.map((w, i) => (w * num) / total - (counts[i] as number));
  let left = num - counts.reduce((sum, c) => sum + c, 0);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => (remainders[b] as number) - (remainders[a] as number) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] as number) + 1;
    left--;
  }
  return counts;
}

/**
 * Which entry each invocation uses, for counts from `allocateWeighted`. Occurrences are
 * spread evenly over the run instead of in blocks: the j-th use of entry i sits at the ideal
 * position (j + ½)/counts[i] of the run; positions are compared exactly in integers and ties
 * go to the earlier entry. Deterministic, so any batch can be computed on its own.
 */
export function interleave(counts: readonly number[]): number[] {
  const slots: [entry: number, occurrence: number][] = [];
  counts.forEach((count, entry) => {
    for (let j = 0; j < count; j++) slots.push([entry, j]);
  });
  // (2j+1)/(2c_i) < (2l+1)/(2c_k)  ⇔  (2j+1)·c_k < (2l+1)·c_i
  slots.sort(
    ([i, j], [k, l]) => (2 * j + 1) * (counts[k] as number) - (2 * l + 1) * (counts[i] as number) || i - k,
  );
  return slots.map(([entry]) => entry);
}

const scheduleCache = new WeakMap<PayloadSpec, Map<number, number[]>>();

/** Entry index per invocation for a weighted spec (memoised per spec object and num). */
function weightedOrder(spec: Extract<PayloadSpec, { kind: 'weighted' }>, num: number): number[] {
  let byNum = scheduleCache.get(spec);
  if (!byNum) {
    byNum = new Map();
    scheduleCache.set(spec, byNum);
  }
  let order = byNum.get(num);
  if (!order) {
    order = interleave(
      allocateWeighted(
        spec.entries.map((e) => e.weight),
        num,
      ),
    );
    byNum.set(num, order);
  }
  return order;
}

/** The body of invocation `index` (0-based) of a run of `num` invocations. */
export function payloadForInvocation(spec: PayloadSpec, num: number, index: number): string | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= num) {
    throw new Error(`Invocation index ${index} is outside 0..${num - 1}`);
  }
  if (spec.kind === 'single') return spec.body;
  const entry = weightedOrder(spec, num)[index] as number;
  return (spec.entries[entry] as { body: string | undefined }).body;
}

/** Bodies of invocations [start, start + count), for one batch. */
export function payloadsForBatch(
  spec: PayloadSpec,
  num: number,
  start: number,
  count: number,
): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let i = start; i < start + count; i++) out.push(payloadForInvocation(spec, num, i));
  return out;
}

/** Every body of a run, in order. */
export function payloadSchedule(spec: PayloadSpec, num: number): (string | undefined)[] {
  return payloadsForBatch(spec, num, 0, num);
}

// ---- Validation of a payload value --------------------------------------------------------

const PAYLOAD_ACCEPTED =
  `any JSON value of at most ${MAX_INLINE_PAYLOAD_BYTES / 1024} KB, sent whole; or a weighted list in which every entry is ` +
  '{"payload": <any JSON>, "weight": <number greater than 0>}';

/**
 * The payload as bodies to send (inline `payload` by default). Checks size, JSON-ness and the
 * weighted form; the checks that depend on num are in `weightedPayloadProblem`.
 */
export function readPayload(
  value: unknown,
  field = 'payload',
  maxBytes: number = MAX_INLINE_PAYLOAD_BYTES,
): PayloadSpec {
  if (value === undefined) return { kind: 'single', body: undefined };
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InputError(field, `not a JSON value (${(error as Error).message})`, PAYLOAD_ACCEPTED);
  }
  if (text === undefined)
    throw new InputError(field, `not a JSON value (got ${describeValue(value)})`, PAYLOAD_ACCEPTED);
  const size = utf8ByteLength(text);
  if (size > maxBytes) {
    throw new InputError(
      field,
      `${size} bytes of JSON is more than the ${maxBytes}-byte inline limit (it would be copied into ` +
        'workflow history); upload it to S3 and pass "payloadS3": "s3://bucket/key" instead',
      PAYLOAD_ACCEPTED,
    );
  }
  const shape = payloadShape(value);
  if (shape === 'plain') return { kind: 'single', body: convertPayload(value) };
  const entries = value as unknown[];
  if (shape === 'mixed') {
    const withBoth: number[] = [];
    const without: number[] = [];
    entries.forEach((entry, i) => (isWeightedEntryShape(entry) ? withBoth : without).push(i));
    throw new InputError(
      field,
      `${entryList(withBoth)} ${withBoth.length === 1 ? 'has' : 'have'} "payload" and "weight" but ` +
        `${entryList(without)} ${without.length === 1 ? 'does' : 'do'} not; ` +
        'a weighted payload needs both keys in every entry (an array is sent whole only when no entry has both)',
      PAYLOAD_ACCEPTED,
    );
  }
  const badWeights: string[] = [];
  const weighted = entries as { payload: unknown; weight: unknown }[];
  weighted.forEach(({ weight }, i) => {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
      badWeights.push(`entry ${i} has weight ${describeValue(weight)}`);
    }
  });
  if (badWeights.length > 0) {
    throw new InputError(
      field,
      `${badWeights.slice(0, 5).join(', ')}${badWeights.length > 5 ? ` and ${badWeights.length - 5} more` : ''}; ` +
        'weights must be finite JSON numbers greater than 0',
      PAYLOAD_ACCEPTED,
    );
  }
  return {
    kind: 'weighted',
    entries: weighted.map((entry) => ({
      body: convertPayload(entry.payload),
      weight: entry.weight as number,
    })),
  };
}

function entryList(indexes: number[]): string {
  const shown = indexes.length > 6 ? `${indexes.slice(0, 6).join(', ')}, …` : indexes.join(', ');
  return `${indexes.length === 1 ? 'entry' : 'entries'} ${shown}`;
}

/** Why a weighted payload cannot be spread over num invocations, or undefined when it can. */
export function weightedPayloadProblem(
  payload: Extract<PayloadSpec, { kind: 'weighted' }>,
  num: number,
): string | undefined {
  const count = payload.entries.length;
  if (count > num) {
    return `${count} weighted payloads but num is ${num}: each payload needs at least one invocation (increase num or remove payloads)`;
  }
  const weights = payload.entries.map((e) => e.weight);
  const counts = allocateWeighted(weights, num);
  const starved = counts.flatMap((c, i) => (c === 0 ? [i] : []));
  if (starved.length === 0) return undefined;
  return (
    `with num ${num}, the weights give ${entryList(starved)} no ` +
    'invocation at all (largest-remainder shares); increase num or their weights'
  );
}

/**
 * A payload value read at run time (the payloadS3 object) turned into a spec, with the same
 * rules as the inline payload except the 256 KB limit (the activity caps S3 objects itself).
 * num 1 means a dry run, which sends only the first payload of the schedule, so the
 * per-payload counts are not checked then.
 */
export function payloadSpecFromValue(
  value: unknown,
  num: number,
  field = 'payloadS3',
  dryRun = num === 1,
): PayloadSpec {
  const spec = readPayload(value, field, Number.POSITIVE_INFINITY);
  if (spec.kind === 'weighted' && !dryRun) {
    const problem = weightedPayloadProblem(spec, num);
    if (problem)
      throw new InputError(
        field,
        problem,
        'a weighted list in which every payload gets at least one of the num invocations',
      );
  }
  return spec;
}
