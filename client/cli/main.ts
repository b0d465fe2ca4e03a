/** Entry point of the `powertune` command (client/bin/powertune.js runs it through tsx). */
import { processIo } from './io.js';
import { runCli } from './program.js';

const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  // A second Ctrl-C leaves at once.
  process.once('SIGINT', () => process.exit(130));
});

const code = await runCli(process.argv.slice(2), processIo(interrupt.signal));
process.exitCode = code;
// Native Temporal handles can keep the event loop alive after the work is done.
setTimeout(() => process.exit(code), 200).unref();
