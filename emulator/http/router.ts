/** Maps a method and path of the Lambda REST API (2015-03-31) to an operation name. */

export type Operation =
  | 'ListFunctions'
  | 'CreateFunction'
  | 'GetFunction'
  | 'DeleteFunction'
  | 'GetFunctionConfiguration'
  | 'UpdateFunctionConfiguration'
  | 'UpdateFunctionCode'
  | 'ListVersionsByFunction'
  | 'PublishVersion'
  | 'ListAliases'
  | 'CreateAlias'
  | 'GetAlias'
  | 'UpdateAlias'
  | 'DeleteAlias'
  | 'ListTags'
  | 'Invoke';

export interface Route {
  operation: Operation;
  /**
   * The decoded {FunctionName} path segment: name, ARN or partial ARN, maybe with :qualifier
   * (ListTags: its {Resource}, which must be a function ARN).
   */
  functionName?: string;
  aliasName?: string;
}

const table: Record<string, Record<string, Operation>> = {
  '': { GET: 'ListFunctions', POST: 'CreateFunction' },
  '/*': { GET: 'GetFunction', DELETE: 'DeleteFunction' },
  '/*/configuration': { GET: 'GetFunctionConfiguration', PUT: 'UpdateFunctionConfiguration' },
  '/*/code': { PUT: 'UpdateFunctionCode' },
  '/*/versions': { GET: 'ListVersionsByFunction', POST: 'PublishVersion' },
  '/*/aliases': { GET: 'ListAliases', POST: 'CreateAlias' },
  '/*/aliases/*': { GET: 'GetAlias', PUT: 'UpdateAlias', DELETE: 'DeleteAlias' },
  '/*/invocations': { POST: 'Invoke' },
};

const PREFIX = '/2015-03-31/functions';
/** The tagging API lives under its own version: `GET /2017-03-31/tags/{Resource}` is ListTags. */
const TAGS_PREFIX = '/2017-03-31/tags/';

/** Returns undefined when the method and path are not a supported Lambda operation. */
export function route(method: string, pathname: string): Route | undefined {
  if (pathname.startsWith(TAGS_PREFIX)) return tagsRoute(method, pathname.slice(TAGS_PREFIX.length));
  if (pathname !== PREFIX && !pathname.startsWith(`${PREFIX}/`)) return undefined;
  const rest = pathname.slice(PREFIX.length).replace(/\/$/, '');
  const segments = rest === '' ? [] : rest.slice(1).split('/');
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  // Shape: the function segment and the alias name are variables, the rest are literals.
  const shape = decoded.map((s, i) => (i === 0 || (i === 2 && decoded[1] === 'aliases') ? '*' : s));
  const key = shape.length === 0 ? '' : `/${shape.join('/')}`;
  const operation = table[key]?.[method];
  if (!operation) return undefined;
  return { operation, functionName: decoded[0], aliasName: decoded[2] };
}

/** ListTags only (TagResource and UntagResource are not emulated); the resource is one path segment. */
function tagsRoute(method: string, segment: string): Route | undefined {
  if (method !== 'GET' || segment === '' || segment.includes('/')) return undefined;
  try {
    return { operation: 'ListTags', functionName: decodeURIComponent(segment) };
  } catch {
    return undefined;
  }
}
