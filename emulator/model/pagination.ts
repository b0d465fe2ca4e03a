import { invalidParameter } from '../http/errors.js';

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

/** Marker/MaxItems paging as Lambda's List* operations do it; the marker is an opaque offset. */
export function paginate<T>(
  all: T[],
  marker: string | undefined,
  maxItems: string | undefined,
  limit = 10000,
): Page<T> {
  let start = 0;
  if (marker !== undefined && marker !== '') {
    start = Number.parseInt(Buffer.from(marker, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw invalidParameter(`Invalid Marker: ${marker}`);
  }
  let size = 50;
  if (maxItems !== undefined) {
    size = Number(maxItems);
    if (!Number.isInteger(size) || size < 1 || size > limit) {
      throw invalidParameter(`MaxItems must be an integer between 1 and ${limit}, got: ${maxItems}`);
    }
  }
  const items = all.slice(start, start + size);
  const next = start + size;
  return next < all.length
    ? { items, nextMarker: Buffer.from(String(next)).toString('base64url') }
    : { items };
}
