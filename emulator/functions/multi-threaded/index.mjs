// Multi-threaded sample: splits CPU work over worker threads, so it keeps getting faster past
// one vCPU (up to the threads it uses, and the vCPUs the memory size buys).
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let x = 1;
for (let i = 0; i < workerData.rounds; i++) x = (x * 48271 + i) % 2147483647;
parentPort.postMessage(x);
`;

function runWorker(rounds) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { rounds } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

export const handler = async (event) => {
  const threads = (event && event.threads) || 4;
  const rounds = Math.round(((event && event.work) || 1) * 8_000_000);
  const results = await Promise.all(Array.from({ length: threads }, () => runWorker(rounds)));
  return { threads, results };
};
