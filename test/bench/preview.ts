// The loupe preview as the app runs it: the studio restores the region around the view's centre of a generated
// photo (default 6000x4000, 24 MP) with the shipped default model, warm. Prints JSON; the first run (model
// loading) is reported apart. `npm run bench:preview -- [--size 6000x4000] [--region 384] [--runs 5]`
import { parseArgs } from 'node:util';
import { bigPhotoStudio } from './big-photo';

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
const { studio, photoId, close } = await bigPhotoStudio('preview', width, height, Number(values.threads));
try {
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
  await close();
}
