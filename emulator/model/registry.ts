/**
 * The emulated account: functions, their versions and aliases, and the control-plane rules
 * AWS enforces (update in progress, publish idempotency, alias-protected versions, Pending).
 */
import { randomUUID } from 'node:crypto';
import {
  conflict,
  functionNotFound,
  invalidParameter,
  notFound,
  preconditionFailed,
} from '../http/errors.js';
import type { AccountScope, FunctionRef } from '../http/function-name.js';
import { functionArn, lambdaTimestamp } from './arn.js';
import type {
  AliasRecord,
  Architecture,
  FunctionCode,
  FunctionRecord,
  FunctionSettings,
  VersionRecord,
  VersionStats,
} from './types.js';

export interface RegistryOptions extends AccountScope {
  /** How long LastUpdateStatus stays InProgress after an update, and State Pending after a create. */
  updateDelayMs: number;
  /** Default for functions that do not set their own. */
  pendingVersionMs: number;
  now?: () => number;
}

/** Called when warm environments of a version must go (update, delete). */
export type RecycleListener = (functionName: string, version?: string) => void;

const ALIAS_NAME_PATTERN = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;

export const emptyStats = (): VersionStats => ({
  invocations: 0,
  errors: 0,
  coldStarts: 0,
  billedMs: 0,
  billedGbSeconds: 0,
});

/** What makes two versions "the same" for PublishVersion. */
const fingerprint = (v: VersionRecord): string => JSON.stringify([v.code.sha256, v.settings]);

export interface ResolvedTarget {
  fn: FunctionRecord;
  version: VersionRecord;
  /** Qualifier used in ARNs: the alias name, the version, or undefined for unqualified. */
  arnQualifier?: string;
}

export class Registry {
  private readonly functions = new Map<string, FunctionRecord>();
  private readonly fingerprints = new WeakMap<VersionRecord, string>();
  private readonly now: () => number;
  private readonly recycleListeners: RecycleListener[] = [];
  /** Account-wide counters; they survive deleted versions and functions. */
  readonly totals: VersionStats = emptyStats();

  constructor(private readonly options: RegistryOptions) {
    this.now = options.now ?? Date.now;
  }

  get scope(): AccountScope {
    return { region: this.options.region, accountId: this.options.accountId };
  }

  onRecycle(listener: RecycleListener): void {
    this.recycleListeners.push(listener);
  }

  private recycle(name: string, version?: string): void {
    for (const listener of this.recycleListeners) listener(name, version);
  }

  arn(name: string, qualifier?: string): string {
    return functionArn(this.scope, name, qualifier);
  }

  // ---- creation -------------------------------------------------------------------------

  /** Adds a function; `active` skips the Pending phase (used for functions loaded at start). */
  create(
    name: string,
    code: FunctionCode,
    settings: FunctionSettings,
    opts: { active: boolean; pendingVersionMs?: number; tags?: Record<string, string> },
  ): FunctionRecord {
    if (this.functions.has(name)) throw conflict(`Function already exist: ${name}`);
    const at = this.now();
    const fn: FunctionRecord = {
      name,
      latest: {
        version: '$LATEST',
        settings,
        code,
        revisionId: randomUUID(),
        lastModified: lambdaTimestamp(at),
        pendingUntil: opts.active ? 0 : at + this.options.updateDelayMs,
        updatingUntil: 0,
        generation: 0,
        stats: emptyStats(),
      },
      versions: new Map(),
      aliases: new Map(),
      lastPublished: 0,
      pendingVersionMs: opts.pendingVersionMs ?? this.options.pendingVersionMs,
      tags: opts.tags ?? {},
      totals: emptyStats(),
    };
    this.functions.set(name, fn);
    return fn;
  }

  /** Zeroes every invocation counter (account, functions, versions). */
  resetCounters(): void {
    const zero = (s: VersionStats): void => void Object.assign(s, emptyStats());
    zero(this.totals);
    for (const fn of this.functions.values()) {
      zero(fn.totals);
      zero(fn.latest.stats);
      for (const v of fn.versions.values()) zero(v.stats);
    }
  }

  // ---- lookup ---------------------------------------------------------------------------

  assertAbsent(name: string): void {
    if (this.functions.has(name)) throw conflict(`Function already exist: ${name}`);
  }

  list(): FunctionRecord[] {
    return [...this.functions.values()];
  }

  getFunction(name: string): FunctionRecord {
    const fn = this.functions.get(name);
    if (!fn) throw functionNotFound(this.arn(name));
    return fn;
  }

  /** Resolves `$LATEST`, a version number or an alias to the version it designates. */
  resolve(ref: FunctionRef): ResolvedTarget {
    const fn = this.getFunction(ref.name);
    const q = ref.qualifier;
    if (q === undefined) return { fn, version: fn.latest };
    if (q === '$LATEST') return { fn, version: fn.latest, arnQualifier: q };
    const version = fn.versions.get(q);
    if (version) return { fn, version, arnQualifier: q };
    const alias = fn.aliases.get(q);
    if (alias) {
      const target = alias.functionVersion === '$LATEST' ? fn.latest : fn.versions.get(alias.functionVersion);
      if (target) return { fn, version: target, arnQualifier: q };
    }
    throw functionNotFound(this.arn(ref.name, q));
  }

  isPending(v: VersionRecord): boolean {
    return v.pendingUntil > this.now();
  }

  isUpdating(v: VersionRecord): boolean {
    return v.updatingUntil > this.now();
  }

  // ---- configuration --------------------------------------------------------------------

  private assertChangeable(fn: FunctionRecord): void {
    if (this.isPending(fn.latest)) {
      throw conflict(
        'The operation cannot be performed at this time. The function is currently in the following state: Pending',
      );
    }
    if (this.isUpdating(fn.latest)) {
      throw conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${this.arn(fn.name)}`,
      );
    }
  }

  private checkRevision(current: string, given: unknown): void {
    if (given !== undefined && given !== null && given !== current) {
      throw preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    }
  }

  /**
   * Throws what an update of $LATEST would throw now: ResourceConflictException while the function
   * is Pending or another update is in progress, PreconditionFailedException for a stale RevisionId.
   */
  assertUpdatable(name: string, revisionId: unknown): FunctionRecord {
    const fn = this.getFunction(name);
    this.assertChangeable(fn);
    this.checkRevision(fn.latest.revisionId, revisionId);
    return fn;
  }

  /** Replaces $LATEST's settings, code or both: InProgress for `updateDelayMs`, warm environments go. */
  private updateLatest(
    name: string,
    revisionId: unknown,
    change: { settings?: FunctionSettings; code?: FunctionCode },
  ): FunctionRecord {
    const fn = this.assertUpdatable(name, revisionId);
    const at = this.now();
    fn.latest = {
      ...fn.latest,
      ...change,
      revisionId: randomUUID(),
      lastModified: lambdaTimestamp(at),
      updatingUntil: at + this.options.updateDelayMs,
      generation: fn.latest.generation + 1,
    };
    this.recycle(name, '$LATEST');
    return fn;
  }

  updateConfiguration(name: string, settings: FunctionSettings, revisionId: unknown): FunctionRecord {
    return this.updateLatest(name, revisionId, { settings });
  }

  /** UpdateFunctionCode: new code (and optionally architecture) for $LATEST; versions keep theirs. */
  updateCode(
    name: string,
    code: FunctionCode,
    architectures: Architecture[] | undefined,
    revisionId: unknown,
  ): FunctionRecord {
    const settings = this.getFunction(name).latest.settings;
    return this.updateLatest(name, revisionId, {
      code,
      settings: architectures ? { ...settings, architectures } : settings,
    });
  }

  // ---- versions ---------------------------------------------------------------------------

  publish(
    name: string,
    body: { Description?: unknown; CodeSha256?: unknown; RevisionId?: unknown },
    opts: { duringCreate?: boolean; afterUpdate?: boolean } = {},
  ): VersionRecord {
    const fn = this.getFunction(name);
    // CreateFunction and UpdateFunctionCode with Publish: true publish while $LATEST is still
    // Pending or InProgress.
    if (!opts.duringCreate && !opts.afterUpdate) this.assertChangeable(fn);
    this.checkRevision(fn.latest.revisionId, body.RevisionId);
    if (
      body.CodeSha256 !== undefined &&
      body.CodeSha256 !== null &&
      body.CodeSha256 !== fn.latest.code.sha256
    ) {
      throw invalidParameter(
        `CodeSHA256 (${String(body.CodeSha256)}) is different from current CodeSHA256 in $LATEST (${fn.latest.code.sha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    const current = fingerprint(fn.latest);
    const newest = [...fn.versions.values()].at(-1);
    // AWS returns the newest version when nothing changed since it was published.
    if (newest && this.fingerprints.get(newest) === current) return newest;
    const description =
      typeof body.Description === 'string' ? body.Description : fn.latest.settings.description;
    const at = this.now();
    fn.lastPublished += 1;
    const version: VersionRecord = {
      version: String(fn.lastPublished),
      settings: { ...fn.latest.settings, description },
      code: fn.latest.code,
      revisionId: randomUUID(),
      lastModified: lambdaTimestamp(at),
      pendingUntil: fn.pendingVersionMs > 0 ? at + fn.pendingVersionMs : 0,
      updatingUntil: 0,
      generation: 0,
      stats: emptyStats(),
    };
    if (opts.afterUpdate) {
      // AWS: a version published by UpdateFunctionCode is Pending ("Creating") until the update is done.
      version.pendingUntil = Math.max(version.pendingUntil, fn.latest.updatingUntil);
      version.pendingReason = 'Creating';
    }
    this.fingerprints.set(version, current);
    fn.versions.set(version.version, version);
    return version;
  }

  // ---- aliases ----------------------------------------------------------------------------

  private checkAliasTarget(fn: FunctionRecord, version: unknown): string {
    if (typeof version !== 'string' || version === '') throw invalidParameter('FunctionVersion is required');
    if (version !== '$LATEST' && !fn.versions.has(version))
      throw functionNotFound(this.arn(fn.name, version));
    return version;
  }

  private checkRouting(fn: FunctionRecord, routing: unknown): AliasRecord['routingConfig'] {
    if (routing === undefined || routing === null) return undefined;
    const weights =
      (routing as { AdditionalVersionWeights?: Record<string, unknown> }).AdditionalVersionWeights ?? {};
    for (const [v, w] of Object.entries(weights)) {
      if (!fn.versions.has(v)) throw functionNotFound(this.arn(fn.name, v));
      if (typeof w !== 'number' || w < 0 || w > 1)
        throw invalidParameter('AdditionalVersionWeights must be in 0..1');
    }
    return { AdditionalVersionWeights: weights as Record<string, number> };
  }

  getAlias(name: string, alias: string): AliasRecord {
    const fn = this.getFunction(name);
    const record = fn.aliases.get(alias);
    if (!record) throw notFound(`Alias not found: ${this.arn(name, alias)}`);
    return record;
  }

  createAlias(name: string, body: Record<string, unknown>): AliasRecord {
    const fn = this.getFunction(name);
    const aliasName = body.Name;
    if (typeof aliasName !== 'string' || !ALIAS_NAME_PATTERN.test(aliasName) || aliasName.length > 128) {
      throw invalidParameter(
        `Name must be 1-128 letters, digits, - or _, and not only digits; got: ${JSON.stringify(aliasName)}`,
      );
    }
    if (aliasName === '$LATEST') throw invalidParameter('$LATEST is not a valid alias name');
    const functionVersion = this.checkAliasTarget(fn, body.FunctionVersion);
    if (fn.aliases.has(aliasName)) throw conflict(`Alias already exists: ${this.arn(name, aliasName)}`);
    const alias: AliasRecord = {
      name: aliasName,
      functionVersion,
      description: typeof body.Description === 'string' ? body.Description : '',
      revisionId: randomUUID(),
      routingConfig: this.checkRouting(fn, body.RoutingConfig),
    };
    fn.aliases.set(aliasName, alias);
    return alias;
  }

  updateAlias(name: string, aliasName: string, body: Record<string, unknown>): AliasRecord {
    const fn = this.getFunction(name);
    const alias = this.getAlias(name, aliasName);
    this.checkRevision(alias.revisionId, body.RevisionId);
    const updated: AliasRecord = {
      ...alias,
      functionVersion:
        body.FunctionVersion === undefined
          ? alias.functionVersion
          : this.checkAliasTarget(fn, body.FunctionVersion),
      description: typeof body.Description === 'string' ? body.Description : alias.description,
      routingConfig:
        body.RoutingConfig === undefined ? alias.routingConfig : this.checkRouting(fn, body.RoutingConfig),
      revisionId: randomUUID(),
    };
    fn.aliases.set(aliasName, updated);
    return updated;
  }

  deleteAlias(name: string, aliasName: string): void {
    const fn = this.getFunction(name);
    // AWS answers 204 even when the alias does not exist.
    fn.aliases.delete(aliasName);
  }

  // ---- deletion -----------------------------------------------------------------------------

  deleteFunction(ref: FunctionRef): void {
    const fn = this.getFunction(ref.name);
    const q = ref.qualifier;
    if (q === undefined) {
      this.functions.delete(fn.name);
      this.recycle(fn.name);
      return;
    }
    if (q === '$LATEST')
      throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    if (fn.aliases.has(q) && !fn.versions.has(q)) {
      throw invalidParameter('Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.');
    }
    if (!fn.versions.has(q)) throw functionNotFound(this.arn(fn.name, q));
    const users = [...fn.aliases.values()]
      .filter(
        (a) => a.functionVersion === q || Object.hasOwn(a.routingConfig?.AdditionalVersionWeights ?? {}, q),
      )
      .map((a) => a.name);
    if (users.length > 0) {
      throw conflict(
        `Unable to delete version because the following aliases reference it: [${users.join(', ')}]`,
      );
    }
    fn.versions.delete(q);
    this.recycle(fn.name, q);
  }
}
