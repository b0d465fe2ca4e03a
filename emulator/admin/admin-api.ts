/**
 * The emulator's own API under /_emulator/, separate from the AWS API and never subject to
 * fault injection: inspection, fault settings, counters and time scale.
 */
import { parseJsonObject } from '../http/body.js';
import { json, noContent, type ApiResponse } from '../http/response.js';
import type { Registry } from '../model/registry.js';
import type { EventLog } from './event-log.js';
import { faultSpecProblem, type FaultInjector, type FaultSpec } from './faults.js';
import { stateView } from './state-view.js';

export const ADMIN_PREFIX = '/_emulator';

export interface AdminDeps {
  registry: Registry;
  events: EventLog;
  faults: FaultInjector;
  runtime: () => { timeScale: number; concurrencyLimit: number; inFlight: number; environments: number };
  setTimeScale: (value: number) => void;
}

const problem = (status: number, message: string): ApiResponse => json(status, { error: message });

export function handleAdmin(
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
  deps: AdminDeps,
): ApiResponse {
  const endpoint = `${method} ${path.slice(ADMIN_PREFIX.length)}`;
  let input: Record<string, unknown> = {};
  if (method === 'PUT' || method === 'POST') {
    try {
      input = parseJsonObject(body);
    } catch (err) {
      return problem(400, (err as Error).message);
    }
  }
  switch (endpoint) {
    case 'GET /health':
      return json(200, { ok: true });
    case 'GET /state':
      return json(200, stateView(deps.registry, deps.runtime()));
    case 'GET /events':
      return json(200, deps.events.list());
    case 'DELETE /events':
      deps.events.clear();
      return noContent();
    case 'GET /invokes':
      return json(200, deps.events.invokeTallies());
    case 'GET /faults':
      return json(200, deps.faults.snapshot());
    case 'PUT /faults': {
      const issue = faultSpecProblem(input);
      if (issue) return problem(400, issue);
      const { functionName, ...spec } = input as FaultSpec & { functionName?: string };
      deps.faults.set(functionName, spec);
      return json(200, deps.faults.snapshot());
    }
    case 'DELETE /faults':
      deps.faults.clear(query.get('functionName') ?? undefined);
      return json(200, deps.faults.snapshot());
    case 'POST /reset-counters':
      deps.registry.resetCounters();
      deps.events.clear();
      return noContent();
    case 'PUT /time-scale': {
      const value = input.timeScale;
      if (typeof value !== 'number' || !(value >= 0)) return problem(400, 'timeScale must be a number >= 0');
      deps.setTimeScale(value);
      return json(200, { timeScale: value });
    }
    default:
      return problem(
        404,
        `Unknown admin endpoint ${endpoint}; available: GET /health, GET /state, GET|DELETE /events, GET /invokes, GET|PUT|DELETE /faults, POST /reset-counters, PUT /time-scale`,
      );
  }
}
