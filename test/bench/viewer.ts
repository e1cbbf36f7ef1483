// The viewer's images of a big photo as the studio serves them: a generated photo (default 6000x4000, 24 MP, a
// noisy JPEG) opened, its screen copy made (first, then cached), then full-resolution tiles (the first one decodes
// the photo, the next ones cut from the kept decode). Prints JSON.
// `npm run bench:viewer -- [--size 6000x4000] [--tiles 6]`
import { parseArgs } from 'node:util';
import { bigPhotoStudio } from './big-photo';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '6000x4000' }, tiles: { type: 'string', default: '6' } },
});
const [width, height] = values.size.split('x').map(Number) as [number, number];
const { studio, photoId, close } = await bigPhotoStudio('viewer', width, height);
const seconds = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const result = await work();
  return [+((performance.now() - t0) / 1000).toFixed(3), result];
};
try {
  const info = studio.getPhoto(photoId);
  const [full, original] = await seconds(() => studio.image('photo', info.id));
  const [screenFirst, screen] = await seconds(() => studio.image('photo-screen', info.id));
  const [screenCached] = await seconds(() => studio.image('photo-screen', info.id));
  const [tileFirst, tile] = await seconds(() => studio.image('photo-tile', info.id, { column: 0, row: 0 }));
  const next: number[] = [];
  for (let i = 1; i <= Number(values.tiles); i++) {
    const column = i % Math.ceil(width / info.view.tileSize);
    const row =
      Math.floor(i / Math.ceil(width / info.view.tileSize)) % Math.ceil(height / info.view.tileSize);
    next.push((await seconds(() => studio.image('photo-tile', info.id, { column, row })))[0]);
  }
  next.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      photo: `${width}x${height}`,
      photoMB: +(original.data.length / 1e6).toFixed(1),
      fullReadSeconds: full,
      screen: `${info.view.screenWidth}x${info.view.screenHeight}`,
      screenMB: +(screen.data.length / 1e6).toFixed(2),
      screenFirstSeconds: screenFirst,
      screenCachedSeconds: screenCached,
      tileSize: info.view.tileSize,
      tileMB: +(tile.data.length / 1e6).toFixed(2),
      tileFirstSeconds: tileFirst,
      tileMedianSeconds: next[next.length >> 1],
      tileMaxSeconds: next[next.length - 1],
    }),
  );
} finally {
  await close();
}
