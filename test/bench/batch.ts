// Batch benchmark: `npm run bench:batch -- --json [--count 300] [--width 256 --height 192] [--model id|dir]`.
// Generates an album of small JPEGs (noise texture, so the encoder has real work), runs it through the jobs
// service in this process (one InferenceEngine, as the CLI and the app do) and samples this process's RSS (the
// inference worker thread included) every 50 ms. Reports photos per minute, peak RSS, and the RSS growth from
// the end of the first 10 photos (model session loaded, caches warm) to the end: flat memory means ~0.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { InferenceEngine } from '../../src-main/inference';
import { BatchJob, planBatch } from '../../src-main/jobs';
import { resolveModelDir } from '../../src-main/restore';

const FIXTURE = resolve(import.meta.dirname, '..', 'fixtures', 'lmdvit-fixture');
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    count: { type: 'string', default: '300' },
    width: { type: 'string', default: '256' },
    height: { type: 'string', default: '192' },
    model: { type: 'string' },
  },
});
const count = Number(values.count);
const width = Number(values.width);
const height = Number(values.height);
const modelDir = values.model ? resolveModelDir(values.model) : FIXTURE;
const log = (message: string) => process.stderr.write(`${message}\n`);
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

const folder = await mkdtemp(join(tmpdir(), 'deblur-bench-batch-'));
try {
  const album = join(folder, 'album');
  await mkdir(album);
  log(`generating ${count} photos of ${width}x${height} in ${album}`);
  for (let i = 0; i < count; i++) {
    const noise = { type: 'gaussian' as const, mean: 110 + (i % 40), sigma: 35 };
    await sharp({ create: { width, height, channels: 3, background: '#000', noise } })
      .blur(1 + (i % 5) * 0.5)
      .jpeg({ quality: 90 })
      .toFile(join(album, `photo-${String(i).padStart(4, '0')}.jpg`));
  }

  const engine = new InferenceEngine();
  const plan = await planBatch({ inputs: [album], output: join(folder, 'out'), modelDir });
  let peak = process.memoryUsage().rss;
  const startRss = peak;
  let warmRss: number | undefined;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 50);
  let finished = 0;
  const job = new BatchJob(engine, plan, (event) => {
    if (event.type !== 'photo') return;
    sample();
    finished++;
    if (finished === 10) warmRss = process.memoryUsage().rss;
    if (finished % 50 === 0) log(`${finished}/${count} photos`);
  });
  const summary = await job.run();
  clearInterval(timer);
  sample();
  const endRss = process.memoryUsage().rss;
  await engine.close();

  const result = {
    benchmark: 'batch',
    model: modelDir,
    photos: count,
    size: `${width}x${height}`,
    done: summary.counts.done,
    failed: summary.counts.failed,
    seconds: Math.round(summary.seconds * 10) / 10,
    photosPerMinute: Math.round((summary.photosPerMinute ?? 0) * 10) / 10,
    rssMB: {
      start: mb(startRss),
      afterFirst10: mb(warmRss ?? endRss),
      end: mb(endRss),
      peak: mb(peak),
      growthAfterFirst10: mb(endRss - (warmRss ?? endRss)),
      growthStartToEnd: mb(endRss - startRss),
    },
    cpus: (await import('node:os')).availableParallelism(),
  };
  if (values.json) console.log(JSON.stringify(result));
  else console.log(result);
} finally {
  await rm(folder, { recursive: true, force: true });
}
