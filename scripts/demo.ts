/** `npm run demo`: the same as `npx powertune demo` (extra arguments are passed on, e.g. --keep). */
import { processIo } from '../client/cli/io.js';
import { runCli } from '../client/cli/program.js';

const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

const code = await runCli(['demo', ...process.argv.slice(2)], processIo(interrupt.signal));
process.exitCode = code;
setTimeout(() => process.exit(code), 200).unref();
