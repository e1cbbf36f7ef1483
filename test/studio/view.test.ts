// The viewer's images from the studio: screen copies (the full image's own bytes when it fits, else shrunk to the
// limit), full-resolution tiles (geometry, edge tiles, exact pixels) and the requests refused; real sharp, real
// files, the fixture model for a result.
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type PhotoInfo, type RestoredInfo } from '../../src-main/contract';
import { SCREEN_MAX_SIDE, TILE_SIZE, TileCutter, screenSize, tileRect } from '../../src-main/imaging';
import { parseImageAddress } from '../../src-main/studio';
import { ViewImages } from '../../src-main/studio/view';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { ok, rgb8, testStudio } from './helpers';

const { studio, call, open } = testStudio();

/** Upright 8-bit RGB of `rect` of an image file, straight from sharp. */
function uprightRegion(path: string, rect: { x: number; y: number; width: number; height: number }) {
  return sharp(path)
    .autoOrient()
    .extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height })
    .raw()
    .toBuffer();
}

describe('viewer images', () => {
  it('serves a photo that fits as its screen copy byte for byte (JPEG, PNG, TIFF), with a 1x1 tile grid', async () => {
    const folder = await tempFolder();
    for (const name of ['small.jpg', 'small.png', 'small.tif']) {
      const photo = await open(await makePhoto(folder, name, { width: 320, height: 224 }));
      expect(photo.view).toEqual({
        screenUrl: `deblur-photo://photo-screen/${photo.id}`,
        screenWidth: 320,
        screenHeight: 224,
        tileUrl: `deblur-photo://photo-tile/${photo.id}/{column}/{row}`,
        tileSize: TILE_SIZE,
      });
      const full = await studio.image('photo', photo.id);
      const screen = await studio.image('photo-screen', photo.id);
      expect(screen.mime).toBe(full.mime);
      expect(screen.data.equals(full.data)).toBe(true);
      const tile = await studio.image('photo-tile', photo.id, { column: 0, row: 0 });
      expect(tile.mime).toBe('image/png');
      expect((await rgb8(tile.data)).width).toBe(320);
    }
  });

  it('shrinks a big photo upright to the limit once (then cached) and cuts exact full-resolution tiles', async () => {
    // 3000x1800 stored, EXIF orientation 6: upright it is 1800 wide and 3000 high (2 columns, 3 rows of tiles).
    const path = await makePhoto(await tempFolder(), 'big.jpg', {
      width: 3000,
      height: 1800,
      orientation: 6,
    });
    const photo = await open(path);
    expect([photo.width, photo.height]).toEqual([1800, 3000]);
    expect(photo.view).toMatchObject({ screenWidth: 1536, screenHeight: SCREEN_MAX_SIDE });

    const screen = await studio.image('photo-screen', photo.id);
    expect(screen.mime).toBe('image/jpeg');
    const shown = await rgb8(screen.data);
    expect([shown.width, shown.height]).toEqual([1536, 2560]);
    expect(await studio.image('photo-screen', photo.id)).toBe(screen);

    // The bottom-right tile is cut at the edges: 1800 - 1024 = 776 wide, 3000 - 2048 = 952 high.
    const rect = tileRect(1800, 3000, 1, 2)!;
    expect(rect).toEqual({ x: 1024, y: 2048, width: 776, height: 952 });
    const corner = await rgb8((await studio.image('photo-tile', photo.id, { column: 1, row: 2 })).data);
    expect([corner.width, corner.height]).toEqual([776, 952]);
    expect(corner.data.equals(await uprightRegion(path, rect))).toBe(true);
    const first = await rgb8((await studio.image('photo-tile', photo.id, { column: 0, row: 0 })).data);
    expect([first.width, first.height]).toEqual([TILE_SIZE, TILE_SIZE]);
    expect(first.data.equals(await uprightRegion(path, tileRect(1800, 3000, 0, 0)!))).toBe(true);
  });

  it('refuses tiles outside the grid, malformed tiles, and tiles of kinds that have none', async () => {
    const path = await makePhoto(await tempFolder(), 'wide.png', { width: 2100, height: 700 });
    const { id } = await open(path);
    for (const tile of [
      { column: 3, row: 0 },
      { column: 0, row: 1 },
      { column: -1, row: 0 },
      { column: 0.5, row: 0 },
      { column: Number.NaN, row: 0 },
    ]) {
      await expect(studio.image('photo-tile', id, tile)).rejects.toMatchObject({ code: 'invalid-request' });
    }
    await expect(studio.image('photo-tile', id)).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(studio.image('photo-screen', id, { column: 0, row: 0 })).rejects.toMatchObject({
      code: 'invalid-request',
    });
    await expect(studio.image('result-tile', id, { column: 0, row: 0 })).rejects.toThrow(/no result/);
    await expect(studio.image('result-screen', id)).rejects.toThrow(/no result/);
    // The last column is 2100 - 2048 = 52 pixels wide.
    expect((await rgb8((await studio.image('photo-tile', id, { column: 2, row: 0 })).data)).width).toBe(52);
    await studio.closePhoto(id);
    await expect(studio.image('photo-screen', id)).rejects.toThrow(/no open photo/);
  });

  it('reads image URLs strictly: a tile only for tile kinds, plain decimal numbers', () => {
    expect(parseImageAddress('photo-tile', 'ab-1/2/0')).toEqual({
      kind: 'photo-tile',
      id: 'ab-1',
      tile: { column: 2, row: 0 },
    });
    expect(parseImageAddress('result-screen', 'ab-1')).toEqual({
      kind: 'result-screen',
      id: 'ab-1',
      tile: undefined,
    });
    for (const [kind, path] of [
      ['photo-tile', 'ab'],
      ['photo-tile', 'ab/1'],
      ['photo-tile', 'ab/01/2'],
      ['photo-tile', 'ab/-1/2'],
      ['photo-tile', 'ab/1/2/3'],
      ['photo-tile', 'ab/1.5/2'],
      ['photo-tile', 'ab/1/2?x'],
      ['photo-tile', '../ab/1/2'],
      ['photo-tile', 'ab/1234567/0'],
      ['photo', 'ab/1/2'],
      ['photo-screen', '../etc'],
      ['tile', 'ab/1/2'],
    ] as const) {
      expect(parseImageAddress(kind, path), `${kind} ${path}`).toBeUndefined();
    }
  });

  it("serves a result's screen copy and tiles, versioned by the job", async () => {
    const path = await makePhoto(await tempFolder(), 'run.png', { width: 200, height: 150 });
    const photo = await open(path);
    const restored = ok<RestoredInfo>(
      await call(CHANNELS.restore, { jobId: 'view-1', photoId: photo.id, device: 'cpu' }),
    );
    expect(restored.view).toEqual({
      screenUrl: `deblur-photo://result-screen/${photo.id}?v=view-1`,
      screenWidth: 200,
      screenHeight: 150,
      tileUrl: `deblur-photo://result-tile/${photo.id}/{column}/{row}?v=view-1`,
      tileSize: TILE_SIZE,
    });
    const full = await studio.image('result', photo.id);
    expect((await studio.image('result-screen', photo.id)).data.equals(full.data)).toBe(true);
    const tile = await studio.image('result-tile', photo.id, { column: 0, row: 0 });
    expect((await rgb8(tile.data)).data.equals((await rgb8(full.data)).data)).toBe(true);
    const info = ok<PhotoInfo>(await call(CHANNELS.getPhoto, photo.id));
    expect(info.restored?.view?.screenUrl).toBe(restored.view?.screenUrl);
  });
});

describe('view caches', () => {
  it('screen size keeps the aspect with the long side at the limit', () => {
    expect(screenSize(6000, 4000)).toEqual({ width: 2560, height: 1707 });
    expect(screenSize(4000, 6000)).toEqual({ width: 1707, height: 2560 });
    expect(screenSize(2560, 100)).toEqual({ width: 2560, height: 100 });
    expect(screenSize(100000, 10)).toEqual({ width: 2560, height: 1 });
  });

  it('makes a new screen copy for a new result file and keeps at most two decodes for tiles', async () => {
    const folder = await tempFolder();
    const sizes = { width: 2600, height: 1200 };
    const source = await makePhoto(folder, 'a.png', sizes);
    const file = (path: string) => ({ path, format: 'png' as const, ...sizes });
    const a = file(source);
    const b = file(join(folder, 'b.png'));
    const c = file(join(folder, 'c.png'));
    await sharp(source).negate().toFile(b.path);
    await sharp(source).flop().toFile(c.path);
    const views = new ViewImages();
    const first = await views.screen('result', 'p', a);
    expect(await views.screen('result', 'p', a)).toBe(first);
    const second = await views.screen('result', 'p', b);
    expect(second.data.equals(first.data)).toBe(false);

    const cutter = new TileCutter(2);
    const rect = { x: 0, y: 0, width: 8, height: 8 };
    for (const file of [a, b, a, c]) await cutter.tile(file.path, rect);
    expect(cutter.kept()).toEqual([a.path, c.path]);
    cutter.forget(c.path);
    expect(cutter.kept()).toEqual([a.path]);
  });
});
