/**
 * Names of the resources one tuning run creates. Each run has its own tag, so its aliases
 * never clobber a user's (e.g. their own "RAM128") and concurrent runs on the same function
 * cannot delete each other's versions.
 */

export const ALIAS_PREFIX = 'ptune';
const MAX_DESCRIPTION = 256;

/** 32-bit FNV-1a over the UTF-16 code units; pure and deterministic. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** 8 lowercase hex characters derived from the workflow run id. */
export function runTag(workflowRunId: string): string {
  return fnv1a(workflowRunId).toString(16).padStart(8, '0');
}

/** `ptune-<tag>-<power>`, or `ptune-<tag>-<power>-<i>` for the i-th cold-start alias. */
export function aliasName(tag: string, power: number, coldIndex?: number): string {
  const base = `${ALIAS_PREFIX}-${tag}-${power}`;
  return coldIndex === undefined ? base : `${base}-${coldIndex}`;
}

/** True for the aliases created by the run with this tag. */
export function isRunAlias(name: string, tag: string): boolean {
  return (
    name.startsWith(`${ALIAS_PREFIX}-${tag}-`) &&
    /^\d+(?:-\d+)?$/.test(name.slice(ALIAS_PREFIX.length + tag.length + 2))
  );
}

/** The marker that starts every version description this run publishes. */
export function runMarker(tag: string, power: number, coldIndex?: number): string {
  return `[power-tuning ${tag} ${power}MB${coldIndex === undefined ? '' : ` #${coldIndex}`}]`;
}

/**
 * Description for a version published at `power`: the marker, then the function's own
 * description cut to fit Lambda's 256-character limit. The marker is unique per run (and per
 * cold-start index), which also forces PublishVersion to create a new version.
 */
export function versionDescription(
  tag: string,
  power: number,
  originalDescription: string | undefined,
  coldIndex?: number,
): string {
  const marker = runMarker(tag, power, coldIndex);
  const original = originalDescription ?? '';
  if (original === '') return marker;
  return `${marker} ${fitUtf16(original, MAX_DESCRIPTION - marker.length - 1)}`;
}

/** The longest prefix of whole code points that fits in `max` UTF-16 units. */
function fitUtf16(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/** True for descriptions written by `versionDescription` with this tag. */
export function isRunVersionDescription(description: string | undefined, tag: string): boolean {
  return description !== undefined && description.startsWith(`[power-tuning ${tag} `);
}

/**
 * One tuning at a time per function: a run holds this alias (on `$LATEST`) from before its first
 * change until its cleanup. Creating an alias is atomic, so two runs cannot both get it.
 */
export const LOCK_ALIAS = 'power-tuning-lock';

/** The lock alias's description: names the holder so a person can tell whose it is. */
export function lockDescription(tag: string, workflowId: string): string {
  return fitUtf16(`power tuning in progress: run ${tag}, workflow ${workflowId}`, MAX_DESCRIPTION);
}

export function isLockHeldBy(description: string | undefined, tag: string): boolean {
  return description !== undefined && description.startsWith(`power tuning in progress: run ${tag},`);
}
