// The loupe preview as the app runs it: the studio restores the region around the view's centre of a generated
// photo (default 6000x4000, 24 MP) with the shipped default model, warm. Prints JSON; the first run (model
// loading) is reported apart. `npm run bench:preview -- [--size 6000x4000] [--region 384] [--runs 5]`
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Studio, type StudioHost } from '../../src-main/studio';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '6000x4000' },
    region: { type: 'string', default: '384' },
    runs: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
  },
});
const [width, height] = values.size.split('x').map(Number) as [number, number];
const side = Number(values.region);
const folder = await mkdtemp(join(tmpdir(), 'deblur-bench-preview-'));
const photo = join(folder, 'photo.jpg');
// Noise, so the JPEG decoder and the model see texture everywhere.
const noise = { background: '#808080', noise: { type: 'gaussian' as const, mean: 128, sigma: 40 } };
await sharp({ create: { width, height, channels: 3, ...noise } })
  .jpeg({ quality: 90 })
  .toFile(photo);
const host: StudioHost = {
  chooseOpenPaths: async () => [photo],
  chooseSavePath: async () => undefined,
  chooseFolder: async () => undefined,
  chooseModelFile: async () => undefined,
  emit: () => undefined,
  imageUrl: (kind, id) => `${kind}/${id}`,
};
const studio = new Studio(host, { cacheDir: join(folder, 'cache'), threads: Number(values.threads) });
try {
  const { photos } = await studio.openPhotos();
  const photoId = photos[0]!.id;
  const region = { x: (width - side) >> 1, y: (height - side) >> 1, width: side, height: side };
  const seconds: number[] = [];
  let last;
  for (let run = 0; run <= Number(values.runs); run++) {
    const t0 = performance.now();
    last = await studio.restore({ jobId: `preview-${run}`, photoId, region });
    seconds.push((performance.now() - t0) / 1000);
  }
  const warm = seconds.slice(1).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      photo: `${width}x${height}`,
      region: `${side}x${side}`,
      threads: Number(values.threads),
      provider: last?.provider,
      firstSeconds: +seconds[0]!.toFixed(2),
      medianSeconds: +warm[warm.length >> 1]!.toFixed(2),
      minSeconds: +warm[0]!.toFixed(2),
      keptRatio: +(last?.keptRatio ?? 0).toFixed(3),
    }),
  );
} finally {
  await studio.close();
  await rm(folder, { recursive: true, force: true });
}
