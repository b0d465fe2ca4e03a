/**
 * Hides a payload's text in error messages (disablePayloadLogs). A function or processor may
 * echo its input in its error, and that text would reach failures, worker logs and workflow
 * history. Pure, like the rest of domain/.
 *
 * What counts as the payload's text ("fragments" of a JSON body):
 * - the body as sent, and its compact JSON re-encoding (what `JSON.stringify(event)` echoes);
 * - every string and number leaf, and the compact JSON of every nested object or array (a
 *   function may echo one field, or `${event.card}`), and the same inside strings that hold
 *   JSON themselves;
 * - each of those as it reads inside a JSON string (quotes and backslashes escaped, once or
 *   twice), and with non-ASCII as `\uXXXX` (Python's json.dumps).
 * Pieces shorter than MIN_REDACTED_LENGTH, and the JSON literals true/false/null, are left alone:
 * they would blank out ordinary words of the message and carry too little to be a secret.
 */

export const PAYLOAD_REDACTED = '[payload redacted]';
export const MIN_REDACTED_LENGTH = 4;

/** Replaces every payload fragment in a text with PAYLOAD_REDACTED. */
export type Redactor = (text: string) => string;

/** Nested containers deeper than this add only their leaves (their JSON text is in the parent's). */
const MAX_CONTAINER_DEPTH = 32;
/** Strings holding JSON are opened this many levels deep. */
const MAX_EMBEDDED_JSON = 3;
const LITERALS = new Set(['true', 'false', 'null']);

const identity: Redactor = (text) => text;

/** Too deep for the engine's recursion: such a container adds only its leaves. */
function stringifyOrSkip(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function tryParseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** The piece as it appears inside a JSON string literal. */
const jsonEscaped = (piece: string): string => JSON.stringify(piece).slice(1, -1);

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

const asciiEscaped = (piece: string): string =>
  piece.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function addPiece(out: Set<string>, piece: string): void {
  if (piece.length < MIN_REDACTED_LENGTH) return;
  out.add(piece);
  const once = jsonEscaped(piece);
  // Most leaves have nothing that escaping changes, and need no variants.
  if (once === piece && !NON_ASCII.test(piece)) return;
  const twice = jsonEscaped(once);
  out.add(once);
  out.add(twice);
  out.add(asciiEscaped(once));
  out.add(asciiEscaped(twice));
}

/** Adds the fragments of one parsed JSON value; iterative, so a deeply nested body cannot overflow the stack. */
function addValue(out: Set<string>, root: unknown): void {
  const stack: { value: unknown; depth: number; embedded: number }[] = [
    { value: root, depth: 0, embedded: 0 },
  ];
  while (stack.length > 0) {
    const { value, depth, embedded } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'string') {
      addPiece(out, value);
      // A string that holds JSON may be parsed by the function and echoed field by field.
      const trimmed = value.trim();
      if (embedded < MAX_EMBEDDED_JSON && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
        const inner = tryParseJson(trimmed);
        if (inner) stack.push({ value: inner.value, depth: 0, embedded: embedded + 1 });
      }
    } else if (typeof value === 'number') {
      addPiece(out, JSON.stringify(value));
    } else if (typeof value === 'object' && value !== null) {
      const text = depth <= MAX_CONTAINER_DEPTH ? stringifyOrSkip(value) : undefined;
      if (text !== undefined) addPiece(out, text);
      // Too deep to encode here means too deep below too: the children add only their leaves.
      const next = text === undefined ? MAX_CONTAINER_DEPTH + 1 : depth + 1;
      const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
      for (const child of children) stack.push({ value: child, depth: next, embedded });
    }
  }
}

/** Every fragment of a payload body that must not show in an error text (see the file comment). */
export function payloadFragments(body: string): string[] {
  const out = new Set<string>();
  // A body that is only true/false/null holds nothing worth blanking those words for.
  if (!LITERALS.has(body.trim())) {
    addPiece(out, body);
    addPiece(out, body.trim());
  }
  const parsed = tryParseJson(body);
  if (parsed) addValue(out, parsed.value);
  return [...out];
}

/** Fragments that share their first MIN_REDACTED_LENGTH characters. */
interface PrefixGroup {
  fragments: Set<string>;
  /** Their distinct lengths, longest first. */
  lengths: number[];
}

/**
 * A redactor for the given payload bodies (undefined ones are skipped). Build it once per
 * payload and reuse it: collecting the fragments costs about as much as parsing the body.
 */
export function payloadRedactor(bodies: readonly (string | undefined)[]): Redactor {
  // Grouped by their first characters, then looked up by exact text: checking a text costs a
  // few hash lookups per position, however large the payload.
  const groups = new Map<string, PrefixGroup>();
  for (const body of bodies) {
    if (body === undefined) continue;
    for (const fragment of payloadFragments(body)) {
      const key = fragment.slice(0, MIN_REDACTED_LENGTH);
      let group = groups.get(key);
      if (group === undefined) {
        group = { fragments: new Set(), lengths: [] };
        groups.set(key, group);
      }
      group.fragments.add(fragment);
    }
  }
  if (groups.size === 0) return identity;
  for (const group of groups.values()) {
    group.lengths = [...new Set([...group.fragments].map((f) => f.length))].sort((a, b) => b - a);
  }

  return (text) => {
    let out = '';
    let copiedUpTo = 0;
    let i = 0;
    // Left to right, the longest fragment at each position: a whole echo becomes one marker,
    // and no fragment can remain in the text between two markers.
    while (i + MIN_REDACTED_LENGTH <= text.length) {
      // A marker from an earlier pass stays as it is, even if a payload word occurs in it.
      if (text.startsWith(PAYLOAD_REDACTED, i)) {
        i += PAYLOAD_REDACTED.length;
        continue;
      }
      const group = groups.get(text.slice(i, i + MIN_REDACTED_LENGTH));
      const length = group?.lengths.find(
        (n) => i + n <= text.length && group.fragments.has(text.slice(i, i + n)),
      );
      if (length === undefined) {
        i++;
        continue;
      }
      out += text.slice(copiedUpTo, i) + PAYLOAD_REDACTED;
      i += length;
      copiedUpTo = i;
    }
    return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
  };
}

/** `payloadRedactor(bodies)(text)`, for a single use. */
export function redactPayload(text: string, bodies: readonly (string | undefined)[]): string {
  return payloadRedactor(bodies)(text);
}

/**
 * Applies a redactor to every string (keys included) of a JSON-like value, such as a function
 * error's stack trace. Anything nested deeper than MAX_CONTAINER_DEPTH is redacted as JSON text.
 */
export function redactValue(value: unknown, redact: Redactor, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_CONTAINER_DEPTH) return redact(stringifyOrSkip(value) ?? PAYLOAD_REDACTED);
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, redact, depth + 1));
  // fromEntries defines plain properties: a "__proto__" key stays data.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [redact(key), redactValue(item, redact, depth + 1)]),
  );
}
