/**
 * Paths of modules the SDK loads itself (workflow code, a failure converter): the TypeScript source
 * when running from the checkout (tsx), or the compiled `.js` beside the calling module when running
 * from tsc output (dist/, the Docker image), where no `.ts` file exists.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `url` names the `.ts` source, e.g. `new URL('../workflows/index.ts', import.meta.url)`. */
export function sourceOrCompiled(url: URL): string {
  const source = fileURLToPath(url);
  const compiled = source.replace(/\.ts$/, '.js');
  return fs.existsSync(source) || !fs.existsSync(compiled) ? source : compiled;
}
