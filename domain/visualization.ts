/**
 * The link to the original's chart page: the results are packed into the URL hash as three
 * base64 fields joined by ";": powers (Int16 LE), durations and costs (Float32 LE).
 */
import { decodeBase64, encodeBase64 } from './base64.js';

export const DEFAULT_VISUALIZATION_URL = 'https://lambda-power-tuning.show/';

export interface VisualizationPoint {
  power: number;
  duration: number;
  cost: number;
}

function packInt16(values: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 2));
  values.forEach((v, i) => view.setInt16(i * 2, v, true));
  return encodeBase64(new Uint8Array(view.buffer));
}

function packFloat32(values: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return encodeBase64(new Uint8Array(view.buffer));
}

/** The hash part (without "#"), points sorted by power. */
export function visualizationHash(points: readonly VisualizationPoint[]): string {
  const sorted = [...points].sort((a, b) => a.power - b.power);
  return [
    packInt16(sorted.map((p) => p.power)),
    packFloat32(sorted.map((p) => p.duration)),
    packFloat32(sorted.map((p) => p.cost)),
  ].join(';');
}

/** Full link; China-region results add `currency=CNY` so the page shows the right unit. */
export function visualizationUrl(
  points: readonly VisualizationPoint[],
  baseUrl: string = DEFAULT_VISUALIZATION_URL,
  currency: 'USD' | 'CNY' = 'USD',
): string {
  const query = currency === 'CNY' ? `${baseUrl.includes('?') ? '&' : '?'}currency=CNY` : '';
  return `${baseUrl}${query}#${visualizationHash(points)}`;
}

/** Inverse of visualizationHash (durations and costs come back as Float32 values). */
export function decodeVisualizationHash(hash: string): {
  powers: number[];
  durations: number[];
  costs: number[];
} {
  const [powers = '', durations = '', costs = ''] = hash.replace(/^#/, '').split(';');
  const int16 = (text: string) => {
    const bytes = decodeBase64(text);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: Math.floor(bytes.length / 2) }, (_, i) => view.getInt16(i * 2, true));
  };
  const float32 = (text: string) => {
    const bytes = decodeBase64(text);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: Math.floor(bytes.length / 4) }, (_, i) => view.getFloat32(i * 4, true));
  };
  return { powers: int16(powers), durations: float32(durations), costs: float32(costs) };
}
