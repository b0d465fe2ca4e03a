/**
 * The optional shared token. The unmodified AWS SDK can carry it: it is the access key id of the
 * SigV4 credential (`AWS_ACCESS_KEY_ID=<token>`), which the SDK sends in every Authorization
 * header. Plain HTTP tools (the admin client, curl) send `Authorization: Bearer <token>` instead.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { sigV4AccessKeyId } from '../http/caller.js';

/** Safe inside a SigV4 credential scope and a header; long enough not to be guessed. */
export const TOKEN_PATTERN = /^[A-Za-z0-9._~+=-]{16,512}$/;

export function tokenProblem(token: string): string | undefined {
  return TOKEN_PATTERN.test(token)
    ? undefined
    : 'the emulator token must be 16 to 512 characters from A-Z a-z 0-9 . _ ~ + = - (e.g. `openssl rand -hex 24`)';
}

/** The token a request presents, from a Bearer or a SigV4 Authorization header. */
export function presentedToken(authorization: string | undefined): string | undefined {
  const value = authorization?.trim() ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(value);
  if (bearer?.[1]) return bearer[1];
  return sigV4AccessKeyId(value);
}

/** Compares through fixed-length digests, so the time taken says nothing about the token. */
export function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
