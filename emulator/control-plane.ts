/** The control-plane operations: functions, configuration, versions, aliases and tags (ListTags). */
import type { CodeLocations } from './code/code-location.js';
import { codeFromRequest, prepareCode, zipFileOfUpdate } from './code/function-code.js';
import { parseJsonObject } from './http/body.js';
import { invalidParameter, validationError } from './http/errors.js';
import { parseFunctionRef, type FunctionRef } from './http/function-name.js';
import { json, noContent, type ApiResponse } from './http/response.js';
import type { Operation } from './http/router.js';
import { defaultSettings, FUNCTION_NAME_PATTERN } from './model/definitions.js';
import { paginate } from './model/pagination.js';
import type { Registry } from './model/registry.js';
import { applySettings, parseArchitectures } from './model/settings-update.js';
import { aliasView, configurationView } from './model/views.js';

export interface ControlPlaneRequest {
  operation: Exclude<Operation, 'Invoke'>;
  functionName?: string;
  aliasName?: string;
  query: URLSearchParams;
  body: Buffer;
  /** `http://host:port` as the caller reached the emulator: where GetFunction's code link points. */
  baseUrl: string;
}

export interface ControlPlaneDeps {
  registry: Registry;
  /** Where uploaded zip packages are unpacked. */
  codeDir: string;
  /** Issues the presigned links of GetFunction's Code.Location. */
  codeLocations: CodeLocations;
}

const opt = (q: URLSearchParams, key: string): string | undefined => q.get(key) ?? undefined;

function unqualified(ref: FunctionRef, operation: string): string {
  if (ref.qualifier !== undefined) {
    throw invalidParameter(
      `${operation} does not accept a qualified function name: ${ref.name}:${ref.qualifier}`,
    );
  }
  return ref.name;
}

/**
 * ListTags's {Resource}: a function ARN only (no bare name, no partial ARN), as AWS's pattern for
 * it says; tags belong to the function, so a version or alias ARN is refused.
 */
function taggedFunction(resource: string, registry: Registry): string {
  if (!resource.startsWith('arn:')) {
    throw validationError(
      resource,
      'resource',
      'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  const ref = parseFunctionRef(resource, undefined, registry.scope);
  if (ref.qualifier !== undefined) {
    throw invalidParameter(
      'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    );
  }
  return ref.name;
}

export function handleControlPlane(req: ControlPlaneRequest, deps: ControlPlaneDeps): ApiResponse {
  const { registry } = deps;
  const { query } = req;
  const ref = (): FunctionRef =>
    parseFunctionRef(req.functionName ?? '', opt(query, 'Qualifier'), registry.scope);
  const config = (r: FunctionRef): Record<string, unknown> => {
    const t = registry.resolve(r);
    return configurationView(registry, t.fn, t.version, t.arnQualifier);
  };

  switch (req.operation) {
    case 'ListFunctions': {
      const all = query.get('FunctionVersion') === 'ALL';
      const views = registry
        .list()
        .flatMap((fn) =>
          [fn.latest, ...(all ? fn.versions.values() : [])].map((v) => configurationView(registry, fn, v)),
        );
      const page = paginate(views, opt(query, 'Marker'), opt(query, 'MaxItems'));
      return json(200, {
        Functions: page.items,
        ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
      });
    }
    case 'CreateFunction': {
      const body = parseJsonObject(req.body);
      const name = body.FunctionName;
      if (typeof name !== 'string' || !FUNCTION_NAME_PATTERN.test(name)) {
        throw validationError(
          String(name),
          'functionName',
          'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+',
        );
      }
      let settings = applySettings(
        defaultSettings({ role: `arn:aws:iam::${registry.scope.accountId}:role/lambda` }),
        body,
      );
      settings = {
        ...settings,
        architectures: parseArchitectures(body.Architectures) ?? settings.architectures,
      };
      registry.assertAbsent(name);
      const code = codeFromRequest(body.Code, settings.handler, deps.codeDir, name);
      const tags = (body.Tags ?? {}) as Record<string, string>;
      const fn = registry.create(name, code, settings, { active: false, tags });
      if (body.Publish === true) {
        const v = registry.publish(name, {}, { duringCreate: true });
        return json(201, configurationView(registry, fn, v));
      }
      return json(201, configurationView(registry, fn, fn.latest));
    }
    case 'GetFunction': {
      const r = ref();
      const t = registry.resolve(r);
      return json(200, {
        Configuration: configurationView(registry, t.fn, t.version, t.arnQualifier),
        Code: {
          RepositoryType: 'S3',
          Location: deps.codeLocations.issue(
            req.baseUrl,
            registry.scope.accountId,
            t.fn.name,
            t.version.code,
          ),
        },
        Tags: t.fn.tags,
      });
    }
    case 'DeleteFunction':
      registry.deleteFunction(ref());
      return noContent();
    case 'GetFunctionConfiguration':
      return json(200, config(ref()));
    case 'UpdateFunctionConfiguration': {
      const name = unqualified(ref(), 'UpdateFunctionConfiguration');
      const body = parseJsonObject(req.body);
      const fn = registry.getFunction(name);
      const settings = applySettings(fn.latest.settings, body);
      registry.updateConfiguration(name, settings, body.RevisionId);
      return json(200, configurationView(registry, fn, registry.getFunction(name).latest));
    }
    case 'UpdateFunctionCode': {
      const name = unqualified(ref(), 'UpdateFunctionCode');
      const body = parseJsonObject(req.body);
      const fn = registry.getFunction(name);
      const zipFile = zipFileOfUpdate(body);
      const architectures = parseArchitectures(body.Architectures);
      // Like CreateFunction: a handler package runs with the function's Handler setting, a profile
      // makes (or keeps) it synthetic, whatever the function was before.
      const prepared = prepareCode(zipFile, fn.latest.settings.handler, deps.codeDir, name, 'ZipFile');
      registry.assertUpdatable(name, body.RevisionId);
      // DryRun validates the request, code included, and changes nothing.
      if (body.DryRun === true) return json(200, configurationView(registry, fn, fn.latest));
      prepared.install();
      registry.updateCode(name, prepared.code, architectures, body.RevisionId);
      if (body.Publish === true) {
        const v = registry.publish(name, {}, { afterUpdate: true });
        return json(200, configurationView(registry, fn, v));
      }
      return json(200, configurationView(registry, fn, fn.latest));
    }
    case 'ListVersionsByFunction': {
      const fn = registry.getFunction(unqualified(ref(), 'ListVersionsByFunction'));
      const views = [fn.latest, ...fn.versions.values()].map((v) =>
        configurationView(registry, fn, v, v.version),
      );
      const page = paginate(views, opt(query, 'Marker'), opt(query, 'MaxItems'));
      return json(200, { Versions: page.items, ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}) });
    }
    case 'PublishVersion': {
      const name = unqualified(ref(), 'PublishVersion');
      const v = registry.publish(name, parseJsonObject(req.body));
      return json(201, configurationView(registry, registry.getFunction(name), v));
    }
    case 'ListAliases': {
      const fn = registry.getFunction(unqualified(ref(), 'ListAliases'));
      const version = opt(query, 'FunctionVersion');
      const views = [...fn.aliases.values()]
        .filter((a) => version === undefined || a.functionVersion === version)
        .map((a) => aliasView(registry, fn.name, a));
      const page = paginate(views, opt(query, 'Marker'), opt(query, 'MaxItems'));
      return json(200, { Aliases: page.items, ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}) });
    }
    case 'CreateAlias': {
      const name = unqualified(ref(), 'CreateAlias');
      return json(201, aliasView(registry, name, registry.createAlias(name, parseJsonObject(req.body))));
    }
    case 'GetAlias': {
      const name = unqualified(ref(), 'GetAlias');
      return json(200, aliasView(registry, name, registry.getAlias(name, req.aliasName ?? '')));
    }
    case 'UpdateAlias': {
      const name = unqualified(ref(), 'UpdateAlias');
      const alias = registry.updateAlias(name, req.aliasName ?? '', parseJsonObject(req.body));
      return json(200, aliasView(registry, name, alias));
    }
    case 'DeleteAlias':
      registry.deleteAlias(unqualified(ref(), 'DeleteAlias'), req.aliasName ?? '');
      return noContent();
    case 'ListTags':
      return json(200, { Tags: registry.getFunction(taggedFunction(req.functionName ?? '', registry)).tags });
  }
}
