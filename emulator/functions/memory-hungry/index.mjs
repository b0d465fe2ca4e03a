// Memory-hungry sample: holds about 160 MB while it works, so with the runtime's own memory it
// needs more than 128 MB and is killed below 256 MB, the way Lambda kills an out-of-memory sandbox.
import { Buffer } from 'node:buffer';

export const handler = async (event) => {
  const megabytes = (event && event.megabytes) || 160;
  const block = Buffer.alloc(megabytes * 1024 * 1024, 1);
  let sum = 0;
  for (let i = 0; i < block.length; i += 4096) sum += block[i];
  return { megabytes, pagesTouched: sum };
};
