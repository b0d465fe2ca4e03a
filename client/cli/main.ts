/** Entry point of the `powertune` command (client/bin/powertune.js runs it through tsx). */
import { processIo } from './io.js';
import { runCli } from './program.js';

// `powertune result x --csv | head -1`: a closed pipe ends the command quietly, as for any Unix tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

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
