// The mask editor on a big mask (default 6000x4000, 24 MP) in Chromium, as the renderer tests run it (Vitest's
// browser mode, vitest.browser.config.ts): a 300 px brush stroke of 200 moves, undo/redo, invert, clear, the
// mask's canvas repainted whole and per dab, and the overlay stage drawn fitted and at 100 %. The timed code is
// test/renderer/mask-timings.browser.ts (browser code lives there); this runs it and prints its medians, in
// milliseconds, as JSON. Vitest's own output goes to stderr.
// `npm run bench:mask -- [--size 6000x4000] [--runs 3]`
import { parseArgs } from 'node:util';
import { startVitest, type TestCase } from 'vitest/node';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '6000x4000' }, runs: { type: 'string', default: '3' } },
});
const [width, height] = values.size.split('x').map(Number) as [number, number];
const runs = Number(values.runs);
const [brush, moves] = [300, 200];
if (!(width > 0 && height > 0 && runs >= 1)) throw new Error('--size WxH and --runs N (N >= 1)');

let timings: Record<string, number> | undefined;
await startVitest(
  'test',
  [],
  {
    config: 'vitest.browser.config.ts',
    include: ['test/renderer/mask-timings.browser.ts'],
    provide: { maskBench: { width, height, runs, brush, moves } },
    watch: false,
    reporters: [
      'default',
      {
        onTestCaseResult(test: TestCase) {
          if (test.result().state !== 'passed') return;
          timings = (test.meta() as { maskTimings?: Record<string, number> }).maskTimings;
        },
      },
    ],
  },
  {},
  { stdout: process.stderr },
);
if (timings) {
  console.log(JSON.stringify({ mask: `${width}x${height}`, brush, moves, runs, unit: 'ms', ...timings }));
} else {
  console.error('bench:mask: no timings came back (see the Vitest output above)');
  process.exitCode = 1;
}
