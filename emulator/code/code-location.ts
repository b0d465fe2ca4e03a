/**
 * GetFunction's `Code.Location`: on AWS a presigned S3 URL, valid for 10 minutes, from which the
 * version's deployment package can be downloaded with no credentials (the signature in the query
 * is the authorization). Here the emulator serves it itself, on its own host and port: each link
 * names one snapshot of one package, so a later code update does not change what it returns, and
 * an expired or altered link is refused with S3's 403.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiResponse } from '../http/response.js';
import type { DeploymentPackage } from '../model/types.js';
import { isZip } from './zip.js';

/** Every download link starts with this path; the request guard lets GETs of it through without the token. */
export const CODE_LOCATION_PREFIX = '/_code/';

/** Requests for the links' paths go to CodeLocations.serve, whatever their method. */
export const isCodeLocationPath = (pathname: string): boolean => pathname.startsWith(CODE_LOCATION_PREFIX);

/**
 * The one kind of request a presigned link authorizes by itself, without the emulator token:
 * a GET of a link's path (serve() then checks the signature). Any other method still needs it.
 */
export const isCodeDownload = (method: string | undefined, pathname: string): boolean =>
  method === 'GET' && isCodeLocationPath(pathname);

/** AWS: GetFunction's presigned URL is valid for 10 minutes. */
export const CODE_LOCATION_TTL_SECONDS = 600;
/** The longest S3 allows for a presigned URL (7 days). */
export const MAX_CODE_LOCATION_TTL_SECONDS = 604_800;

interface Snapshot {
  bytes: Buffer;
  expiresAt: number;
}

/** `20260101T120000Z`, the X-Amz-Date form (whole seconds). */
const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isFinite(ms) ? ms : undefined;
}

function s3Error(status: number, code: string, message: string): ApiResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
  return { status, headers: { 'Content-Type': 'application/xml' }, body };
}

export class CodeLocations {
  /** Per emulator run: links of an earlier run, or of another emulator, are not valid here. */
  private readonly secret = randomBytes(32);
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly ttlSeconds = CODE_LOCATION_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_CODE_LOCATION_TTL_SECONDS) {
      throw new Error(
        `codeLocationTtlSeconds must be an integer from 1 to ${MAX_CODE_LOCATION_TTL_SECONDS}, got: ${ttlSeconds}`,
      );
    }
  }

  private sign(method: string, pathname: string, date: string, expires: string): string {
    return createHmac('sha256', this.secret)
      .update(`${method}\n${pathname}\n${date}\n${expires}`)
      .digest('hex');
  }

  private prune(at: number): void {
    for (const [key, s] of this.snapshots) if (s.expiresAt <= at) this.snapshots.delete(key);
  }

  /** A new presigned link to `code`'s package, under `baseUrl` (the address the caller used). */
  issue(baseUrl: string, accountId: string, functionName: string, code: DeploymentPackage): string {
    const at = this.now();
    this.prune(at);
    const date = amzDate(at);
    const expires = String(this.ttlSeconds);
    const pathname = `${CODE_LOCATION_PREFIX}snapshots/${accountId}/${functionName}-${randomUUID()}`;
    this.snapshots.set(pathname, {
      bytes: code.deploymentPackage,
      expiresAt: parseAmzDate(date)! + this.ttlSeconds * 1000,
    });
    const query = new URLSearchParams({
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-Signature': this.sign('GET', pathname, date, expires),
    });
    return `${baseUrl}${pathname}?${query.toString()}`;
  }

  /** Answers a request to a link as S3 would: the package, or an XML error. */
  serve(method: string, url: URL): ApiResponse {
    const date = url.searchParams.get('X-Amz-Date');
    const expires = url.searchParams.get('X-Amz-Expires');
    const signature = url.searchParams.get('X-Amz-Signature');
    if (date === null || expires === null || signature === null) {
      return s3Error(
        403,
        'AccessDenied',
        'Query-string authentication requires the X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters',
      );
    }
    const expected = Buffer.from(this.sign(method, url.pathname, date, expires), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return s3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    const signedAt = parseAmzDate(date);
    const at = this.now();
    if (signedAt === undefined || at >= signedAt + Number(expires) * 1000) {
      return s3Error(403, 'AccessDenied', 'Request has expired');
    }
    const snapshot = this.snapshots.get(url.pathname);
    if (!snapshot) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    return {
      status: 200,
      headers: { 'Content-Type': isZip(snapshot.bytes) ? 'application/zip' : 'application/octet-stream' },
      body: snapshot.bytes,
    };
  }
}
