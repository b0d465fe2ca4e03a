import { startStack } from './stack.js';
import { startTuning } from './tuning-run.js';
import { powerValueList } from './options.js';
const stack = await startStack({ functions: { f: 50 }, updateDelayMs: 50, log: console.error });
try {
  await stack.emulator.admin.setTimeScale(1);
  await stack.withWorker('dbg', async (_w, tq) => {
    const h = await startTuning(stack.client, tq, {
      lambdaARN: 'f',
      num: Number(process.argv[2] ?? 100),
      powerValues: powerValueList(Number(process.argv[3] ?? 6)),
    });
    await h.result();
    const hist = await h.fetchHistory();
    let prev = 0;
    for (const e of hist.events ?? []) {
      const t = Number(e.eventTime!.seconds) * 1000 + (e.eventTime!.nanos ?? 0) / 1e6;
      const kind = Object.keys(e).find((k) => k.endsWith('Attributes')) ?? '?';
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
      console.log(
        String(e.eventId).padStart(4),
        (prev ? (t - prev).toFixed(1) : '0').padStart(8),
        kind.replace('EventAttributes', ''),
        name,
      );
      prev = t;
    }
  });
} finally {
  await stack.stop();
}
process.exit(0);
