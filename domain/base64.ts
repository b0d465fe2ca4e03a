/**
 * Base64 and UTF-8 in plain JavaScript: this code also runs in Temporal's workflow sandbox,
 * where Node's Buffer is not available.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP: Record<string, number> = {};
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charAt(i)] = i;
// URL-safe variants decode too; they never appear in Lambda's LogResult but cost nothing.
LOOKUP['-'] = 62;
LOOKUP['_'] = 63;

/** Standard alphabet, with `=` padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const triple = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += ALPHABET.charAt((triple >> 18) & 63) + ALPHABET.charAt((triple >> 12) & 63);
    out += b1 === undefined ? '=' : ALPHABET.charAt((triple >> 6) & 63);
    out += b2 === undefined ? '=' : ALPHABET.charAt(triple & 63);
  }
  return out;
}

/** Accepts padded or unpadded input and ignores whitespace; throws on any other character. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '').replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new Error('Invalid base64: truncated input');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let pos = 0;
  for (let i = 0; i < clean.length; i++) {
    const value = LOOKUP[clean.charAt(i)];
    if (value === undefined) throw new Error(`Invalid base64: unexpected character at position ${i}`);
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[pos++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, pos);
}

/**
 * For a lead byte: continuation bytes needed, its payload bits, and the allowed range of the
 * second byte (which rules out overlong forms, surrogates and code points above U+10FFFF).
 */
function leadByte(b0: number): { need: number; bits: number; low: number; high: number } | undefined {
  if (b0 >= 0xc2 && b0 < 0xe0) return { need: 1, bits: b0 & 0x1f, low: 0x80, high: 0xbf };
  if (b0 >= 0xe0 && b0 < 0xf0) {
    return { need: 2, bits: b0 & 0x0f, low: b0 === 0xe0 ? 0xa0 : 0x80, high: b0 === 0xed ? 0x9f : 0xbf };
  }
  if (b0 >= 0xf0 && b0 < 0xf5) {
    return { need: 3, bits: b0 & 0x07, low: b0 === 0xf0 ? 0x90 : 0x80, high: b0 === 0xf4 ? 0x8f : 0xbf };
  }
  return undefined;
}

/**
 * UTF-8 to string. Malformed or cut sequences (a 4 KB log tail can split one) become U+FFFD,
 * one per maximal invalid subpart, as TextDecoder does.
 */
export function utf8Decode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    const lead = leadByte(b0);
    if (!lead) {
      out += '\ufffd';
      i++;
      continue;
    }
    const { need } = lead;
    let code = lead.bits;
    let j = 1;
    for (; j <= need; j++) {
      const b = bytes[i + j];
      const low = j === 1 ? lead.low : 0x80;
      const high = j === 1 ? lead.high : 0xbf;
      if (b === undefined || b < low || b > high) break;
      code = (code << 6) | (b & 0x3f);
    }
    if (j <= need) {
      // The bytes read so far form one invalid subpart; the offending byte is read again.
      out += '\ufffd';
      i += j;
      continue;
    }
    out += String.fromCodePoint(code);
    i += need + 1;
  }
  return out;
}

/** String to UTF-8 (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else code = 0xfffd;
    } else if (code >= 0xdc00 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else
      out.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      );
  }
  return Uint8Array.from(out);
}

/** Size of a string in UTF-8 bytes, without building the byte array. */
export function utf8ByteLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 4;
        i++;
      } else length += 3;
    } else length += 3;
  }
  return length;
}
