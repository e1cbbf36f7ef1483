// The viewer on a 24-megapixel photo in Chromium: at fit it draws only the screen copy; zoomed in past it, the
// full-resolution tiles that meet the visible area (only those are requested), placed at their photo rectangles,
// following pan, cut at the photo's edges, on either side of the compare split, and gone again at fit.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoInfo, ViewImage } from '../../src-main/contract';
import { TILES_KEPT } from '../../src-renderer/features/viewer/tiles';
import { AppState } from '../../src-renderer/lib/app.svelte';
import { dataUrl, photoInfo, restoredInfo, scriptedApi } from './mask-fixture';
import MaskHarness from './MaskHarness.svelte';

const [W, H, T] = [6000, 4000, 1024];

/** A view whose tiles are requested from the test server (they answer 404: what counts is the request). */
function bigView(name: string, version = ''): ViewImage {
  return {
    screenUrl: dataUrl(256, 171, '#405060'),
    screenWidth: 2560,
    screenHeight: 1707,
    tileUrl: `/__tiles/${name}/{column}/{row}${version}`,
    tileSize: T,
  };
}

const big: PhotoInfo = {
  ...photoInfo('p1', 32, 24),
  name: 'big.jpg',
  width: W,
  height: H,
  view: bigView('photo'),
};

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  flushSync();
};

let mounted: ReturnType<typeof mount> | undefined;
let state: AppState | undefined;
beforeEach(() => {
  performance.setResourceTimingBufferSize(10_000);
  performance.clearResourceTimings();
});
afterEach(() => {
  if (mounted) unmount(mounted);
  state?.dispose();
  mounted = undefined;
  state = undefined;
  document.body.innerHTML = '';
});

async function setup(photo: PhotoInfo): Promise<AppState> {
  const app = (state = new AppState(scriptedApi([photo]).api));
  mounted = mount(MaskHarness, {
    target: document.body.appendChild(document.createElement('div')),
    props: { app },
  });
  app.library.add({ photos: [photo], skipped: [] });
  await settle();
  return app;
}

/** `layer/column/row` of the tiles drawn now, and of the tile URLs the page has requested. */
function drawn(): string[] {
  return [...document.querySelectorAll<HTMLImageElement>('img[data-tile]')].map((img) =>
    new URL(img.src).pathname.replace('/__tiles/', ''),
  );
}
function requested(): string[] {
  const names = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
  return [...new Set(names.filter((name) => name.startsWith('/__tiles/')))].map((name) =>
    name.replace('/__tiles/', ''),
  );
}

/** The tiles meeting photo columns x0..x1 of the visible area, computed here from the view's transform. */
function expected(app: AppState, layer: string, x0 = 0, x1 = W): string[] {
  const v = app.viewport;
  const left = Math.max(x0, -v.x / v.scale);
  const right = Math.min(x1, (v.frameWidth - v.x) / v.scale);
  const top = Math.max(0, -v.y / v.scale);
  const bottom = Math.min(H, (v.frameHeight - v.y) / v.scale);
  const names: string[] = [];
  if (right <= left) return names;
  for (let row = Math.floor(top / T); row * T < bottom; row++) {
    for (let column = Math.floor(left / T); column * T < right; column++)
      names.push(`${layer}/${column}/${row}`);
  }
  return names;
}

const sorted = (names: string[]) => [...names].sort();

/** Each drawn tile sits on screen where its photo rectangle is under the view transform. */
function expectPlaced(app: AppState): void {
  const v = app.viewport;
  const frame = document.querySelector('section[aria-label="Viewer"]')!.getBoundingClientRect();
  for (const img of document.querySelectorAll<HTMLImageElement>('img[data-tile]')) {
    const [column, row] = img.dataset.tile!.split(',').map(Number) as [number, number];
    const rect = {
      x: column * T,
      y: row * T,
      width: Math.min(T, W - column * T),
      height: Math.min(T, H - row * T),
    };
    expect(img.style.left).toBe(`${rect.x}px`);
    expect(img.style.top).toBe(`${rect.y}px`);
    expect(img.style.width).toBe(`${rect.width}px`);
    expect(img.style.height).toBe(`${rect.height}px`);
    const box = img.getBoundingClientRect();
    expect(box.left).toBeCloseTo(frame.left + v.x + rect.x * v.scale, 0);
    expect(box.top).toBeCloseTo(frame.top + v.y + rect.y * v.scale, 0);
    expect(box.width).toBeCloseTo(rect.width * v.scale, 0);
    expect(box.height).toBeCloseTo(rect.height * v.scale, 0);
  }
}

describe('viewer tiles', () => {
  it('draws only the screen copy at fit, and the visible full-resolution tiles at 100 %', async () => {
    const app = await setup(big);
    const original = document.querySelector<HTMLImageElement>('img[alt="Original: big.jpg"]')!;
    expect(original.src).toBe(big.view.screenUrl);
    expect(app.viewport.fitted).toBe(true);
    expect(drawn()).toEqual([]);
    expect(requested()).toEqual([]);

    app.viewport.actual();
    await settle();
    const centre = expected(app, 'photo');
    expect(centre.length).toBeGreaterThan(0);
    expect(sorted(drawn())).toEqual(sorted(centre));
    await expect.poll(() => sorted(requested())).toEqual(sorted(centre));
    expectPlaced(app);
    expect(original.parentElement!.style.imageRendering).toBe('auto');

    // Pan to the bottom-right corner: the edge tiles are cut (6000 - 5 * 1024 = 880, 4000 - 3 * 1024 = 928).
    app.viewport.panBy(-(W - 3000), -(H - 2000));
    await settle();
    const corner = expected(app, 'photo');
    expect(corner).toContain('photo/5/3');
    await expect.poll(() => sorted(requested())).toEqual(sorted([...centre, ...corner]));
    expect(sorted(drawn())).toEqual(sorted([...centre, ...corner]));
    const edge = document.querySelector<HTMLImageElement>('img[data-tile="5,3"]')!;
    expect([edge.style.width, edge.style.height]).toEqual(['880px', '928px']);
    expectPlaced(app);

    // Zoomed to 400 %: pixelated, and still only the visible tiles are requested.
    app.viewport.zoomAt(4, 10, 10);
    await settle();
    expect(original.parentElement!.style.imageRendering).toBe('pixelated');
    expect(drawn().length).toBeLessThanOrEqual(TILES_KEPT);
    for (const name of expected(app, 'photo')) expect(drawn()).toContain(name);
    expectPlaced(app);

    app.viewport.fit();
    await settle();
    expect(drawn()).toEqual([]);
  });

  it('keeps a few tiles and drops the farthest while panning across the photo', async () => {
    const app = await setup(big);
    app.viewport.actual();
    // A serpentine over every row of tiles, at 100 %: all 24 tiles seen, at most TILES_KEPT drawn at once.
    const path: [number, number][] = [];
    for (const [i, y] of [300, 1300, 2300, 3700].entries()) {
      for (let x = 300; x < W; x += 1000) path.push([i % 2 ? W - x : x, y]);
    }
    let drops = 0;
    for (const [x, y] of path) {
      const before = drawn();
      const v = app.viewport;
      v.panBy(v.frameWidth / 2 - (v.x + x * v.scale), v.frameHeight / 2 - (v.y + y * v.scale));
      await settle();
      const now = drawn();
      const visible = expected(app, 'photo');
      expect(now.length).toBeLessThanOrEqual(TILES_KEPT);
      for (const name of visible) expect(now).toContain(name);
      // Whatever went is at least as far from the view as whatever hidden tile stayed.
      const area = v.visibleArea()!;
      const distance = (name: string) => {
        const [column, row] = name.split('/').slice(1).map(Number) as [number, number];
        const cx = column * T + Math.min(T, W - column * T) / 2;
        const cy = row * T + Math.min(T, H - row * T) / 2;
        return Math.hypot(cx - (area.x + area.width / 2), cy - (area.y + area.height / 2));
      };
      const dropped = before.filter((name) => !now.includes(name)).map(distance);
      const hidden = now.filter((name) => !visible.includes(name)).map(distance);
      drops += dropped.length;
      if (dropped.length && hidden.length)
        expect(Math.min(...dropped)).toBeGreaterThanOrEqual(Math.max(...hidden));
    }
    expect(drops).toBeGreaterThan(0);
    await expect.poll(() => requested().length).toBe(24);
    expect(requested().every((name) => name.startsWith('photo/'))).toBe(true);
  });

  it('draws the original tiles left of the split and the restored tiles right of it, under its clip', async () => {
    const restored = restoredInfo({ ...big, view: bigView('result', '?v=run') });
    const app = await setup({ ...big, restored });
    const after = document.querySelector<HTMLImageElement>('img[alt="Restored: big.jpg"]')!;
    expect(after.src).toBe(restored.view!.screenUrl);
    expect(drawn()).toEqual([]);

    app.viewport.actual();
    await settle();
    const v = app.viewport;
    const split = (app.compare.split * v.frameWidth - v.x) / v.scale;
    const before = expected(app, 'photo', 0, split);
    const right = expected(app, 'result', split, W);
    expect(before.length).toBeGreaterThan(0);
    expect(right.length).toBeGreaterThan(0);
    expect(sorted(drawn())).toEqual(sorted([...before, ...right]));
    for (const img of document.querySelectorAll<HTMLImageElement>('img[data-tile][src*="result"]')) {
      expect(img.src).toMatch(/\/__tiles\/result\/\d+\/\d+\?v=run$/);
    }
    await expect.poll(() => sorted(requested())).toEqual(sorted([...before, ...right]));
    const layer = document.querySelector<HTMLImageElement>('img[data-tile][src*="result"]')!.parentElement!;
    expect(layer.style.clipPath).toBe(after.style.clipPath);
    expect(layer.style.clipPath).toBe(`inset(0px 0px 0px ${split}px)`);
    expectPlaced(app);

    // Holding O shows the original over the whole view: its tiles everywhere, no restored ones.
    app.compare.holdingOriginal = true;
    await settle();
    expect(sorted(drawn())).toEqual(sorted(expected(app, 'photo')));
  });
});
