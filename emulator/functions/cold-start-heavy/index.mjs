// Cold-start-heavy sample: expensive module initialisation (as with a large SDK or framework),
// then a cheap handler. Only the first call of each environment shows the Init Duration.
import { setTimeout as sleep } from 'node:timers/promises';

function buildLookupTable() {
  const table = new Map();
  for (let i = 0; i < 400_000; i++) table.set(`key-${i}`, (i * 2654435761) % 4294967296);
  return table;
}

const started = Date.now();
const table = buildLookupTable();
// Also wait, like opening connections during init.
await sleep(200);
const initMs = Date.now() - started;
console.log(`initialised ${table.size} entries in ${initMs} ms`);

export const handler = async (event) => {
  const key = (event && event.key) || 'key-42';
  return { key, value: table.get(key) ?? null };
};
