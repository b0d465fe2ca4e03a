/** Optional terminal emphasis; plain text when output is not a terminal or NO_COLOR is set. */
import { styleText } from 'node:util';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  good(text: string): string;
  bad(text: string): string;
}

const plain: Style = { bold: (t) => t, dim: (t) => t, good: (t) => t, bad: (t) => t };
const colored: Style = {
  bold: (t) => styleText('bold', t),
  dim: (t) => styleText('dim', t),
  good: (t) => styleText('green', t),
  bad: (t) => styleText('red', t),
};

export function makeStyle(enabled: boolean): Style {
  return enabled ? colored : plain;
}

/** Colour only on a terminal, never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}
