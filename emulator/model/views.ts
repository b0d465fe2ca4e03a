/** The JSON shapes the Lambda API returns (FunctionConfiguration, AliasConfiguration). */
import type { Registry } from './registry.js';
import type { AliasRecord, FunctionRecord, VersionRecord } from './types.js';

export function configurationView(
  registry: Registry,
  fn: FunctionRecord,
  v: VersionRecord,
  arnQualifier?: string,
): Record<string, unknown> {
  const s = v.settings;
  const pending = registry.isPending(v);
  const updating = registry.isUpdating(v);
  const qualifier = arnQualifier ?? (v.version === '$LATEST' ? undefined : v.version);
  const view: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: registry.arn(fn.name, qualifier),
    Runtime: s.runtime,
    Role: s.role,
    Handler: s.handler,
    CodeSize: v.code.size,
    Description: s.description,
    Timeout: s.timeout,
    MemorySize: s.memorySize,
    LastModified: v.lastModified,
    CodeSha256: v.code.sha256,
    Version: v.version,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: v.revisionId,
    State: pending ? 'Pending' : 'Active',
    LastUpdateStatus: updating ? 'InProgress' : 'Successful',
    PackageType: 'Zip',
    Architectures: s.architectures,
    EphemeralStorage: { Size: s.ephemeralStorageMb },
    SnapStart: {
      ApplyOn: fn.pendingVersionMs > 0 ? 'PublishedVersions' : 'None',
      OptimizationStatus: fn.pendingVersionMs > 0 ? 'On' : 'Off',
    },
    LoggingConfig: { LogFormat: s.logFormat, LogGroup: `/aws/lambda/${fn.name}` },
  };
  if (Object.keys(s.environment).length > 0) view.Environment = { Variables: s.environment };
  if (pending) {
    const creating = v.version === '$LATEST' || v.pendingReason === 'Creating';
    view.StateReason = creating ? 'The function is being created.' : 'The version is being optimized.';
    view.StateReasonCode = creating ? 'Creating' : 'Restoring';
  }
  if (updating) {
    view.LastUpdateStatusReason = 'The function is being updated.';
    view.LastUpdateStatusReasonCode = 'Updating';
  }
  if (s.logFormat === 'JSON') {
    view.LoggingConfig = {
      ...(view.LoggingConfig as object),
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'INFO',
    };
  }
  return view;
}

export function aliasView(
  registry: Registry,
  functionName: string,
  alias: AliasRecord,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    AliasArn: registry.arn(functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
  };
  if (alias.routingConfig) view.RoutingConfig = alias.routingConfig;
  return view;
}
