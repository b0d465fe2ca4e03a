/**
 * Names of the resources one tuning run creates. Each run has its own tag, so its aliases
 * never clobber a user's (e.g. their own "RAM128") and concurrent runs on the same function
 * cannot delete each other's versions.
 */

export const ALIAS_PREFIX = 'ptune';
const MAX_DESCRIPTION = 256;

/** 32-bit FNV-1a over the UTF-16 code units; pure and deterministic. */
export function fnv1a(text: string): number {
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

/**
 * `ptune-<tag>-<power>`, or `ptune-<tag>-<power>-<i>` for the i-th cold-start alias; sizes set up
 * on another architecture than the function's own carry it: `ptune-<tag>-<power>-arm64[-<i>]`.
 */
export function aliasName(tag: string, power: number, coldIndex?: number, architecture?: string): string {
  const base = `${ALIAS_PREFIX}-${tag}-${power}${architecture === undefined ? '' : `-${architecture}`}`;
  return coldIndex === undefined ? base : `${base}-${coldIndex}`;
}

/** What follows `ptune-<tag>-` in a run's alias names. */
const RUN_ALIAS_SUFFIX = /^\d+(?:-(?:x86_64|arm64))?(?:-\d+)?$/;

/** True for the aliases created by the run with this tag. */
export function isRunAlias(name: string, tag: string): boolean {
  return (
    name.startsWith(`${ALIAS_PREFIX}-${tag}-`) &&
    RUN_ALIAS_SUFFIX.test(name.slice(ALIAS_PREFIX.length + tag.length + 2))
  );
}

/** The marker that starts every version description this run publishes. */
export function runMarker(tag: string, power: number, coldIndex?: number, architecture?: string): string {
  const on = architecture === undefined ? '' : ` ${architecture}`;
  return `[power-tuning ${tag} ${power}MB${on}${coldIndex === undefined ? '' : ` #${coldIndex}`}]`;
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
  architecture?: string,
): string {
  const marker = runMarker(tag, power, coldIndex, architecture);
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
 * One tuning at a time per function: a run holds this alias from before its first change until
 * its cleanup. Creating an alias is atomic, so two runs cannot both get it. Once taken, the lock
 * points at a version published from the untouched `$LATEST`: the function's original settings
 * live with the lock, so anyone can put them back, even if the run that took it is gone.
 */
export const LOCK_ALIAS = 'power-tuning-lock';

/** Failure type of a tuning refused because another tuning holds the lock and is running. */
export const CONCURRENT_TUNING = 'ConcurrentTuning';
/** Failure type of a tuning refused because a tuning that ended without cleaning up holds the lock. */
export const STRANDED_TUNING = 'StrandedTuning';

const LOCK_PREFIX = 'power tuning in progress: run ';

/** What the lock alias's description records about its holder. */
export interface LockHolder {
  tag: string;
  workflowId: string;
  /**
   * Versions numbered above this were published after the lock was taken: the saved version is
   * the holder's own (to delete at release) only when its number is higher. Absent in locks
   * written before saved versions existed.
   */
  versionsBefore?: number;
}

/** The lock alias's description: names the holder so a person (and `powertune cleanup`) can tell whose it is. */
export function lockDescription(holder: LockHolder): string {
  const before = holder.versionsBefore === undefined ? '' : ` versions-before ${holder.versionsBefore},`;
  return fitUtf16(`${LOCK_PREFIX}${holder.tag},${before} workflow ${holder.workflowId}`, MAX_DESCRIPTION);
}

/** Reads a lock description back; undefined when the alias was not written by a tuning. */
export function parseLockDescription(description: string | undefined): LockHolder | undefined {
  const match =
    /^power tuning in progress: run ([0-9a-f]{8}),(?: versions-before (\d+),)? workflow (.*)$/s.exec(
      description ?? '',
    );
  if (!match) return undefined;
  const holder: LockHolder = { tag: match[1] as string, workflowId: match[3] as string };
  if (match[2] !== undefined) holder.versionsBefore = Number(match[2]);
  return holder;
}

export function isLockHeldBy(description: string | undefined, tag: string): boolean {
  return description !== undefined && description.startsWith(`${LOCK_PREFIX}${tag},`);
}

/** True for any alias a tuning run creates (of any run), e.g. `ptune-1a2b3c4d-512`. */
export function isAnyRunAlias(name: string): boolean {
  return /^ptune-[0-9a-f]{8}-/.test(name) && RUN_ALIAS_SUFFIX.test(name.slice(ALIAS_PREFIX.length + 10));
}

/** A run's marker at the start of a version description (see runMarker). */
const ANY_RUN_MARKER = /^\[power-tuning [0-9a-f]{8} \d+MB(?: (?:x86_64|arm64))?(?: #\d+)?\]/;

/** True for any version description written by a tuning run (of any run). */
export function isAnyRunVersionDescription(description: string | undefined): boolean {
  return ANY_RUN_MARKER.test(description ?? '');
}

/** The function's own description inside a run's version description (cut when it was too long). */
export function stripRunMarker(description: string): string {
  return description.replace(ANY_RUN_MARKER, '').replace(/^ /, '');
}

/**
 * Alias names the tuner manages itself: a user's autoOptimizeAlias with one of them would be
 * moved or deleted as the lock or as a run's alias.
 */
export function isReservedAliasName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === LOCK_ALIAS || lower.startsWith(`${ALIAS_PREFIX}-`);
}
