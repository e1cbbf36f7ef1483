// The mask editor in Chromium: brush tools through the viewer's pointer events (zoomed and panned, so the
// screen-to-photo mapping is under test), hardness, undo granularity, whole-mask commands, the rasterised mask,
// brush size keys and cursor, the decision overlays against the window grid, "Use as mask", sidecars, and the
// same commands on a 24-megapixel mask (their timings: `npm run bench:mask`).
import Konva from 'konva';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { DetectResult, GrayImage, PhotoInfo } from '../../src-main/contract';
import App from '../../src-renderer/App.svelte';
import { cellRects, gridLines } from '../../src-renderer/features/mask/decisions';
import { MaskDocument } from '../../src-renderer/features/mask/document.svelte';
import { CELL_RGBA, FORCE_RGB, PROTECT_RGB, paintMask, sized } from '../../src-renderer/features/mask/paint';
import { OverlayStage } from '../../src-renderer/features/mask/overlay-stage';
import type { Point } from '../../src-renderer/features/mask/raster';
import { AppState } from '../../src-renderer/lib/app.svelte';
import { commandFor } from '../../src-renderer/lib/shortcuts';
import MaskHarness from './MaskHarness.svelte';
import { grids, photoInfo, restoredInfo, scriptedApi } from './mask-fixture';

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  flushSync();
};

let mounted: ReturnType<typeof mount> | undefined;
let state: AppState | undefined;
afterEach(() => {
  if (mounted) unmount(mounted);
  state?.dispose();
  mounted = undefined;
  state = undefined;
  document.body.innerHTML = '';
});

async function setup(
  photos: PhotoInfo[] = [photoInfo('p1', 200, 150)],
  sidecars: Record<string, GrayImage> = {},
) {
  const script = scriptedApi(photos, sidecars);
  const app = (state = new AppState(script.api));
  app.panel = 'mask'; // the overlay shows while the Mask panel is open
  mounted = mount(MaskHarness, {
    target: document.body.appendChild(document.createElement('div')),
    props: { app },
  });
  app.library.add({ photos, skipped: [] });
  await settle();
  // Zoomed in 2.5x about an off-centre point and panned: photo and screen pixels do not coincide.
  app.viewport.zoomAt(2.5, 120, 90);
  app.viewport.panBy(-31, 17);
  await settle();
  return { app, script };
}

const frame = () => document.querySelector<HTMLElement>('section[aria-label="Viewer"]')!;
const button = (name: string) =>
  [...document.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
  )!;

/** The frame-relative screen point of a photo point. */
function screen(app: AppState, p: Point): Point {
  const v = app.viewport;
  return { x: v.x + p.x * v.scale, y: v.y + p.y * v.scale };
}

function pointer(app: AppState, type: string, p: Point, button = 0) {
  pointerAt(type, screen(app, p), button);
}

/** A pointer event at a frame point. */
function pointerAt(type: string, s: Point, button = 0) {
  const rect = frame().getBoundingClientRect();
  frame().dispatchEvent(
    new PointerEvent(type, {
      clientX: rect.left + s.x,
      clientY: rect.top + s.y,
      button: type === 'pointermove' ? -1 : button,
      buttons: type === 'pointerup' ? 0 : button === 1 ? 4 : 1,
      pointerId: 1,
      pointerType: 'mouse',
      bubbles: true,
      cancelable: true,
    }),
  );
}

/**
 * One pointer-down..up drag through `points` (photo pixels under the pointer when it starts; the screen path is
 * fixed then, so a drag that pans moves the same screen distance), `moves` moves between each pair.
 */
async function stroke(app: AppState, points: Point[], moves = 1, button = 0) {
  const path = points.map((p) => screen(app, p));
  pointerAt('pointerdown', path[0]!, button);
  for (let i = 1; i < path.length; i++) {
    const [a, b] = [path[i - 1]!, path[i]!];
    for (let m = 1; m <= moves; m++) {
      pointerAt('pointermove', { x: a.x + ((b.x - a.x) * m) / moves, y: a.y + ((b.y - a.y) * m) / moves });
    }
  }
  pointerAt('pointerup', path[path.length - 1]!, button);
  await settle();
}

/** A 10-photo-pixel drag to the right (2 moves) with `button`: it must move the view by 25 frame px, not paint. */
async function expectDragPans(app: AppState, button = 0) {
  const x0 = app.viewport.x;
  await stroke(
    app,
    [
      { x: 60, y: 60 },
      { x: 70, y: 60 },
    ],
    2,
    button,
  );
  expect(app.viewport.x).toBeCloseTo(x0 + 25);
}

const at = (app: AppState, x: number, y: number) => app.mask.current!.raster.data[y * 200 + x];

/** RGBA of a layer's canvas at a frame point (layers bottom to top: analysis, mask, cursor). */
function pixel(layer: 0 | 1 | 2, s: Point): number[] {
  const canvas = document.querySelectorAll<HTMLCanvasElement>('[data-testid="mask-overlay"] canvas')[layer]!;
  const ratio = canvas.width / canvas.clientWidth;
  const data = canvas
    .getContext('2d')!
    .getImageData(Math.floor(s.x * ratio), Math.floor(s.y * ratio), 1, 1).data;
  return [...data];
}

/** The most opaque pixel of a layer within one frame pixel left or right of `s` (a 1 px line may fall between two). */
function alphaNear(layer: 0 | 1 | 2, s: Point): number {
  let best = 0;
  for (let dx = -1; dx <= 1; dx++) best = Math.max(best, pixel(layer, { x: s.x + dx, y: s.y })[3]!);
  return best;
}

/** The same, one frame pixel above or below. */
function alphaNearY(layer: 0 | 1 | 2, s: Point): number {
  let best = 0;
  for (let dy = -1; dy <= 1; dy++) best = Math.max(best, pixel(layer, { x: s.x, y: s.y + dy })[3]!);
  return best;
}

function detectResult(width: number, height: number): DetectResult {
  const confidence = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) confidence.fill(255, y * width + 100, y * width + width);
  return {
    jobId: 'job',
    provider: 'cpu',
    fallbackReason: undefined,
    threshold: 0.5,
    keptRatio: 0.25,
    seconds: 0.4,
    confidence: { width, height, data: confidence },
    decisions: grids(width, height, {
      0: [[1, 1]],
      2: [
        [3, 2],
        [10, 5],
      ],
    }),
  };
}

describe('mask editor', () => {
  it('paints force, protect and auto at the photo points under the pointer, zoomed and panned', async () => {
    const { app } = await setup();
    expect(app.viewport.scale).toBeCloseTo(2.5);
    app.mask.setTool('force');
    app.mask.setSize(10);
    await stroke(app, [{ x: 50, y: 40 }]);
    // Radius 5 about (50, 40): pixel centres within 5 are forced, the rest stays auto.
    expect([at(app, 50, 40), at(app, 54, 40), at(app, 45, 40), at(app, 50, 44)]).toEqual([
      255, 255, 255, 255,
    ]);
    expect([at(app, 55, 40), at(app, 44, 40), at(app, 50, 45), at(app, 50, 34)]).toEqual([
      128, 128, 128, 128,
    ]);

    app.mask.setTool('protect');
    await stroke(
      app,
      [
        { x: 100, y: 100 },
        { x: 140, y: 100 },
      ],
      8,
    );
    expect([at(app, 100, 100), at(app, 120, 100), at(app, 139, 103)]).toEqual([0, 0, 0]);
    expect([at(app, 120, 106), at(app, 146, 100)]).toEqual([128, 128]);

    app.mask.setTool('auto');
    app.mask.setSize(4);
    await stroke(app, [{ x: 50, y: 40 }]);
    expect([at(app, 50, 40), at(app, 54, 40)]).toEqual([128, 255]);

    // The mask layer shows force in its colour at the chosen opacity, auto not at all.
    const forced = pixel(1, screen(app, { x: 53.5, y: 40.5 }));
    expect(forced[0]).toBeGreaterThan(200);
    expect(forced[2]).toBeLessThan(100);
    expect(forced[3]).toBeGreaterThan(100);
    expect(forced[3]).toBeLessThan(160);
    expect(pixel(1, screen(app, { x: 80.5, y: 20.5 }))[3]).toBe(0);
    app.mask.opacity = 1;
    await settle();
    expect(pixel(1, screen(app, { x: 53.5, y: 40.5 }))[3]).toBe(255);

    // The other panels show the photo clean: the mask is kept but not drawn.
    app.panel = 'restore';
    await settle();
    const maskCanvas = document.querySelectorAll<HTMLCanvasElement>(
      '[data-testid="mask-overlay"] canvas',
    )[1]!;
    expect(getComputedStyle(maskCanvas).display).toBe('none');
    expect(at(app, 54, 40)).toBe(255);
  });

  it('pans instead of painting with Space held, with the middle button, and with the brush off', async () => {
    const { app } = await setup();
    app.mask.setTool('force');
    const before = app.mask.current!.raster.data.slice();
    await expectDragPans(app, 1);
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'Space', key: ' ' }));
    await expectDragPans(app);
    window.dispatchEvent(new KeyboardEvent('keyup', { code: 'Space', key: ' ' }));
    button('Pan').click();
    await settle();
    expect(app.mask.painting).toBe(false);
    await expectDragPans(app);
    expect(equalBytes(app.mask.current!.raster.data, before)).toBe(true);
  });

  it('Space over the viewer pans even with a panel button focused, which does not get the Space', async () => {
    const { app } = await setup();
    app.mask.setTool('force');
    const before = app.mask.current!.raster.data.slice();
    const invert = button('Invert');
    invert.focus(); // the last button clicked keeps the focus
    const space = (type: string) => {
      const event = new KeyboardEvent(type, { code: 'Space', key: ' ', bubbles: true, cancelable: true });
      invert.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(space('keydown')).toBe(false); // pointer elsewhere: the button keeps Space (keyboard use)
    expect(space('keyup')).toBe(false);
    frame().dispatchEvent(new PointerEvent('pointerenter'));
    expect(space('keydown')).toBe(true);
    await expectDragPans(app);
    expect(space('keyup')).toBe(true);
    expect(equalBytes(app.mask.current!.raster.data, before)).toBe(true);
  });

  it('outside the Mask panel the left button pans and the mask keys do nothing, the brush kept for later', async () => {
    const { app } = await setup();
    app.mask.setTool('force');
    app.mask.setSize(10);
    const before = app.mask.current!.raster.data.slice();
    app.panel = 'restore'; // the mask is not shown here
    await settle();
    const keyDown = (key: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key }));
    for (const key of ['p', 'e', 'd', 'b', ']', 'm']) keyDown(key);
    expect([app.mask.tool, app.mask.painting, app.mask.size, app.mask.visible]).toEqual([
      'force',
      true,
      10,
      true,
    ]);
    expect(frame().classList.contains('painting')).toBe(false);
    await expectDragPans(app);
    expect(equalBytes(app.mask.current!.raster.data, before)).toBe(true);
    expect(app.mask.current!.canUndo).toBe(false);

    // Back in the Mask panel the same brush paints again.
    app.panel = 'mask';
    await settle();
    expect(frame().classList.contains('painting')).toBe(true);
    await stroke(app, [{ x: 60, y: 60 }]);
    expect(at(app, 60, 60)).toBe(255);
  });

  it('a soft brush thins out toward its edge, a hard one does not; every pixel stays one of the three values', () => {
    const share = (doc: MaskDocument, r0: number, r1: number) => {
      let inRing = 0;
      let set = 0;
      for (let y = 0; y < 200; y++) {
        for (let x = 0; x < 200; x++) {
          const d = Math.hypot(x + 0.5 - 100, y + 0.5 - 100);
          if (d < r0 || d >= r1) continue;
          inRing++;
          if (doc.raster.data[y * 200 + x] === 255) set++;
        }
      }
      return set / inRing;
    };
    const soft = new MaskDocument('soft', 200, 200);
    soft.beginStroke({ x: 100, y: 100 }, 'force', 80, 0.5);
    soft.endStroke();
    expect(share(soft, 0, 19)).toBe(1);
    expect(share(soft, 22, 26)).toBeGreaterThan(0.65);
    expect(share(soft, 34, 38)).toBeLessThan(0.35);
    expect(share(soft, 34, 38)).toBeGreaterThan(0.05);
    expect(share(soft, 40.5, 60)).toBe(0);
    expect(new Set(soft.raster.data)).toEqual(new Set([128, 255]));
    // The same dab again changes nothing (coverage does not build up), so it is no undo step.
    soft.beginStroke({ x: 100, y: 100 }, 'force', 80, 0.5);
    soft.endStroke();
    soft.undo();
    expect(soft.toGrayImage()).toBeUndefined();

    const hard = new MaskDocument('hard', 200, 200);
    hard.beginStroke({ x: 100, y: 100 }, 'force', 80, 1);
    hard.endStroke();
    expect(share(hard, 34, 39.5)).toBe(1);
    expect(share(hard, 40.5, 60)).toBe(0);
  });

  it('one stroke with many moves is one undo step; redo restores it; a new stroke clears redo', async () => {
    const { app, script } = await setup();
    app.mask.setTool('force');
    app.mask.setSize(12);
    await stroke(
      app,
      [
        { x: 20, y: 100 },
        { x: 180, y: 100 },
        { x: 180, y: 20 },
      ],
      30,
    );
    const painted = app.mask.toGrayImage()!;
    expect(painted.data[100 * 200 + 100]).toBe(255);
    expect(painted.data[50 * 200 + 180]).toBe(255);
    expect(button('Undo').disabled).toBe(false);

    script.menu('undo');
    await settle();
    expect(app.mask.toGrayImage()).toBeUndefined();
    expect(button('Undo').disabled).toBe(true);
    expect(button('Redo').disabled).toBe(false);
    script.menu('redo');
    await settle();
    expect(equalBytes(app.mask.toGrayImage()!.data, painted.data)).toBe(true);

    // Ctrl+Z in a text field undoes the typing there, not the mask (the menu sends it either way).
    const field = document.body.appendChild(document.createElement('input'));
    field.focus();
    document.execCommand('insertText', false, 'street');
    script.menu('undo');
    await settle();
    expect(field.value).toBe('');
    expect(equalBytes(app.mask.toGrayImage()!.data, painted.data)).toBe(true);
    field.remove();

    await app.command('undo');
    await stroke(
      app,
      [
        { x: 30, y: 30 },
        { x: 60, y: 30 },
      ],
      10,
    );
    expect(app.mask.current!.canRedo).toBe(false);
    expect(button('Redo').disabled).toBe(true);
    await app.command('undo');
    expect(app.mask.toGrayImage()).toBeUndefined();

    const key = (key: string, shiftKey = false) =>
      new KeyboardEvent('keydown', { key, ctrlKey: true, shiftKey });
    expect(commandFor(key('z'), false)).toBe('undo');
    expect(commandFor(key('Z', true), false)).toBe('redo');
    expect(commandFor(key('y'), false)).toBe('redo');
    expect(commandFor(key('b'), false)).toBe('detect');
    expect(commandFor(key('z'), true)).toBeUndefined();
  });

  it('undo after a stroke that leaves the photo and comes back restores exactly the mask before it', () => {
    const doc = new MaskDocument('out', 100, 100);
    // Something to keep in the rows the stroke spans but never paints (between its two legs).
    doc.beginStroke({ x: 75, y: 50 }, 'force', 10, 1);
    doc.endStroke();
    const before = doc.raster.data.slice();
    // The middle leg lies wholly outside the photo, so it is clipped away and paints nothing.
    doc.beginStroke({ x: 50, y: 5 }, 'protect', 6, 1);
    for (const point of [
      { x: 150, y: 5 },
      { x: 150, y: 95 },
      { x: 50, y: 95 },
    ]) {
      doc.extendStroke(point);
    }
    doc.endStroke();
    const painted = doc.raster.data.slice();
    expect([painted[5 * 100 + 70], painted[95 * 100 + 70], painted[50 * 100 + 75]]).toEqual([0, 0, 255]);
    doc.undo();
    expect(equalBytes(doc.raster.data, before)).toBe(true);
    doc.redo();
    expect(equalBytes(doc.raster.data, painted)).toBe(true);
  });

  it('clear, invert and fill are one step each; toGrayImage is the mask at the photo size', async () => {
    const { app } = await setup();
    app.mask.setSize(6);
    app.mask.setTool('force');
    await stroke(app, [{ x: 20, y: 20 }]);
    app.mask.setTool('protect');
    await stroke(app, [{ x: 150, y: 120 }]);
    const start = app.mask.toGrayImage()!;
    expect([start.width, start.height, start.data.length]).toEqual([200, 150, 30000]);
    expect([start.data[20 * 200 + 20], start.data[120 * 200 + 150], start.data[0]]).toEqual([255, 0, 128]);

    button('Invert').click();
    expect([at(app, 20, 20), at(app, 150, 120), at(app, 0, 0)]).toEqual([0, 255, 128]);
    app.mask.setTool('force');
    await settle();
    button('Fill with force').click();
    expect(new Set(app.mask.toGrayImage()!.data)).toEqual(new Set([255]));
    button('Clear').click();
    expect(app.mask.toGrayImage()).toBeUndefined();

    app.mask.undo();
    expect(new Set(app.mask.toGrayImage()!.data)).toEqual(new Set([255]));
    app.mask.undo();
    expect([at(app, 20, 20), at(app, 150, 120)]).toEqual([0, 255]);
    app.mask.undo();
    expect(equalBytes(app.mask.toGrayImage()!.data, start.data)).toBe(true);
    app.mask.redo();
    app.mask.redo();
    app.mask.redo();
    expect(app.mask.toGrayImage()).toBeUndefined();
  });

  it('[ and ] change the brush size, drawn as a cursor circle of that size on screen', async () => {
    const { app } = await setup();
    app.mask.setTool('force');
    expect(app.mask.size).toBe(64);
    const keyDown = (key: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key }));
    keyDown(']');
    expect(app.mask.size).toBe(80);
    keyDown('[');
    keyDown('[');
    expect(app.mask.size).toBe(51);
    keyDown('{');
    expect(app.mask.hardness).toBe(0.9);
    keyDown('p');
    expect(app.mask.tool).toBe('protect');
    keyDown('b');
    expect(app.mask.painting).toBe(false);
    keyDown('b');
    app.mask.setSize(20);
    await settle();
    expect(document.querySelector('[data-testid="brush-size"]')?.textContent).toBe('20 px');
    expect(document.querySelector('label[title*="[ / ]"]')).not.toBeNull();

    pointer(app, 'pointermove', { x: 60, y: 50 });
    await settle();
    const centre = screen(app, { x: 60, y: 50 });
    const circle = Konva.stages.at(-1)!.findOne<Konva.Circle>('.cursor')!;
    expect(circle.visible()).toBe(true);
    expect(circle.radius() * circle.getAbsoluteScale().x).toBeCloseTo(10 * 2.5);
    // The outline is drawn 25 screen pixels from the centre, and nothing well inside or outside it.
    expect(alphaNear(2, { x: centre.x + 25, y: centre.y })).toBeGreaterThan(100);
    expect(alphaNear(2, { x: centre.x + 15, y: centre.y })).toBe(0);
    expect(alphaNear(2, { x: centre.x + 35, y: centre.y })).toBe(0);
    frame().dispatchEvent(new PointerEvent('pointerleave'));
    await settle();
    expect(circle.visible()).toBe(false);
  });

  it("draws each stage's processed cells on their photo rectangles and its window grid every windows[k] pixels", async () => {
    const run = grids(200, 150, { 4: [[20, 15]] });
    const photo = photoInfo('p1', 200, 150);
    const { app, script } = await setup([{ ...photo, restored: restoredInfo(photo, { decisions: run }) }]);
    expect(cellRects(detectResult(200, 150).decisions, 2)).toEqual([
      { x: 24, y: 16, width: 8, height: 8 },
      { x: 80, y: 40, width: 8, height: 8 },
    ]);
    expect(gridLines(run, 3, 0, 200)).toEqual([0, 64, 128, 192]);

    button('Detect blur').click();
    await settle();
    expect(script.detects[0]).toMatchObject({ photoId: 'p1' });
    expect(script.detects[0]!.jobId).toMatch(/^[0-9a-f-]{36}$/);
    script.emitProgress({ jobId: script.detects[0]!.jobId, photoId: 'p1', done: 1, total: 4, skipped: 0 });
    await settle();
    expect(
      document.querySelector<HTMLProgressElement>('progress[aria-label="Detection progress"]')!.value,
    ).toBe(0.25);
    script.finishDetect({ ...detectResult(200, 150), jobId: script.detects[0]!.jobId });
    await settle();
    expect(app.mask.overlay).toBe('detected');
    app.mask.stage = 2;
    await settle();

    const cell = pixel(0, screen(app, { x: 28, y: 20 }));
    // The cell colour (canvas alpha is premultiplied, so a channel may come back one off).
    cell
      .slice(0, 3)
      .forEach((channel, i) => expect(Math.abs(channel - CELL_RGBA[i]!)).toBeLessThanOrEqual(2));
    expect(cell[3]).toBeGreaterThan(80);
    for (const p of [
      { x: 25, y: 17 },
      { x: 30.5, y: 22.5 },
      { x: 84, y: 44 },
    ]) {
      expect(pixel(0, screen(app, p))[3]).toBeGreaterThan(80);
    }
    for (const p of [
      { x: 22.5, y: 20 },
      { x: 28, y: 25.5 },
      { x: 36, y: 20 },
      { x: 12, y: 12 },
    ]) {
      expect(pixel(0, screen(app, p))[3]).toBe(0);
    }
    // Stage 2's windows are 32 px: lines at x = 64 and y = 64, none at x = 48 or y = 48 (stage 1's 16 px grid).
    expect(alphaNear(0, screen(app, { x: 64, y: 28 }))).toBeGreaterThan(50);
    expect(alphaNear(0, screen(app, { x: 48, y: 28 }))).toBe(0);
    expect(alphaNearY(0, screen(app, { x: 100, y: 64 }))).toBeGreaterThan(50);
    expect(alphaNearY(0, screen(app, { x: 100, y: 48 }))).toBe(0);
    app.mask.stage = 1;
    await settle();
    expect(alphaNear(0, screen(app, { x: 48, y: 28 }))).toBeGreaterThan(50);
    expect(alphaNearY(0, screen(app, { x: 100, y: 48 }))).toBeGreaterThan(50);
    expect(pixel(0, screen(app, { x: 28, y: 20 }))[3]).toBe(0);

    // The confidence heat map: hot on the right half, clear on the left (the whole photo in view now).
    app.viewport.fit();
    app.mask.overlay = 'confidence';
    await settle();
    expect(pixel(0, screen(app, { x: 150, y: 60 }))[3]).toBeGreaterThan(150);
    expect(pixel(0, screen(app, { x: 40, y: 60 }))[3]).toBe(0);

    // The last run's decisions, the same way: the bottleneck (stage 4) processed cell (20, 15).
    app.mask.overlay = 'run';
    app.mask.stage = 4;
    await settle();
    expect(pixel(0, screen(app, { x: 164, y: 124 }))[3]).toBeGreaterThan(80);
    expect(pixel(0, screen(app, { x: 28, y: 20 }))[3]).toBe(0);
  });

  it('"Use as mask" forces the windows stage 0 processed and protects the rest, as one undo step', async () => {
    const { app, script } = await setup();
    app.mask.setTool('force');
    app.mask.setSize(6);
    await stroke(app, [{ x: 150, y: 100 }]);
    const painted = app.mask.toGrayImage()!;
    void app.command('detect');
    await settle();
    script.finishDetect({ ...detectResult(200, 150), jobId: script.detects[0]!.jobId });
    await settle();
    button('Use as mask').click();
    await settle();
    const mask = app.mask.toGrayImage()!;
    const v = (x: number, y: number) => mask.data[y * 200 + x];
    expect([v(8, 8), v(15, 15), v(12, 12)]).toEqual([255, 255, 255]);
    expect([v(7, 12), v(16, 12), v(12, 16), v(150, 100), v(28, 20)]).toEqual([0, 0, 0, 0, 0]);
    expect(mask.data.filter((value) => value === 255).length).toBe(64);
    app.mask.undo();
    expect(equalBytes(app.mask.toGrayImage()!.data, painted.data)).toBe(true);
  });

  it('keeps a mask per photo, loads the sidecar, saves it and shows an unsaved marker', async () => {
    const sidecar = new Uint8Array(200 * 150).fill(100);
    sidecar.fill(200, 0, 200);
    sidecar.fill(30, 200, 400);
    const photos = [photoInfo('p1', 200, 150, { hasMask: true }), photoInfo('p2', 200, 150)];
    const { app, script } = await setup(photos, { p1: { width: 200, height: 150, data: sidecar } });
    expect(script.loads).toEqual(['p1']);
    expect([at(app, 5, 0), at(app, 5, 1), at(app, 5, 2)]).toEqual([255, 0, 128]);
    const marker = () => document.querySelector<HTMLElement>('.unsaved')!;
    expect(marker().hidden).toBe(true);
    expect(button('Save mask').disabled).toBe(true);

    app.mask.setTool('force');
    app.mask.setSize(6);
    await stroke(app, [{ x: 100, y: 100 }]);
    expect(marker().hidden).toBe(false);
    button('Save mask').click();
    await settle();
    expect(script.saved[0]!.photoId).toBe('p1');
    expect(equalBytes(script.saved[0]!.mask!.data, app.mask.current!.raster.data)).toBe(true);
    expect(marker().hidden).toBe(true);
    await stroke(app, [{ x: 50, y: 100 }]);
    expect(marker().hidden).toBe(false);
    app.mask.undo();
    await settle();
    expect(marker().hidden).toBe(true);

    app.library.select('p2');
    await settle();
    expect(script.loads).toEqual(['p1', 'p2']);
    expect(app.mask.toGrayImage()).toBeUndefined();
    await stroke(app, [{ x: 10, y: 140 }]);
    app.library.select('p1');
    await settle();
    expect(at(app, 10, 140)).toBe(128);
    expect(at(app, 100, 100)).toBe(255);
    expect(app.mask.toGrayImage('p2')!.data[140 * 200 + 10]).toBe(255);
    expect(script.loads).toEqual(['p1', 'p2']);

    // Cleared while a sidecar exists: a Run must send an explicit all-auto mask, not fall back to the sidecar.
    app.mask.clear();
    expect(app.mask.toGrayImage()).toBeUndefined();
    const forRun = app.mask.maskForRun(app.library.selected!)!;
    expect(forRun.data.every((value) => value === 128)).toBe(true);
    expect(app.mask.maskForRun(photoInfo('p3', 10, 10))).toBeUndefined();
  });

  it('has a Mask tab in the app', async () => {
    const script = scriptedApi([photoInfo('p1', 64, 48)]);
    mounted = mount(App, {
      target: document.body.appendChild(document.createElement('div')),
      props: { api: script.api },
    });
    button('Open…').click();
    await settle();
    button('Mask').click();
    await settle();
    expect(document.querySelector('aside[aria-label="Mask"]')).not.toBeNull();
    expect(button('Detect blur').title).toContain('Ctrl+B');
    expect(button('Undo').title).toContain('Ctrl+Z');
  });

  it('on a 24-megapixel mask a long stroke is one undo step, undo/redo/invert/clear give back the exact bytes, and the mask paints and draws in place at 100 %', () => {
    // The stroke `npm run bench:mask` times: a 300 px soft force brush, 201 dabs across the photo.
    const [w, h] = [6000, 4000];
    const path = (i: number): Point => ({ x: 100 + i * 28, y: Math.round(2000 + 800 * Math.sin(i / 20)) });
    const doc = new MaskDocument('big', w, h);
    const value = (p: Point) => doc.raster.data[p.y * w + p.x];
    const [first, middle, last, away] = [path(0), path(70), path(200), { x: 2900, y: 2150 }];
    doc.beginStroke(first, 'force', 300, 0.7);
    for (let i = 1; i <= 200; i++) doc.extendStroke(path(i));
    doc.endStroke();
    const painted = doc.raster.data.slice();
    expect([value(first), value(middle), value(last), value(away)]).toEqual([255, 255, 255, 128]);

    doc.undo();
    expect(doc.raster.isAuto()).toBe(true); // the whole stroke, in one step
    expect(doc.canUndo).toBe(false);
    doc.redo();
    expect(equalBytes(doc.raster.data, painted)).toBe(true);

    doc.invert();
    expect([value(first), value(last), value(away)]).toEqual([0, 0, 128]);
    const inverted = doc.raster.data.slice();
    doc.invert();
    expect(equalBytes(doc.raster.data, painted)).toBe(true); // inverted twice: the stroke again
    doc.undo();
    expect(equalBytes(doc.raster.data, inverted)).toBe(true);
    doc.clear();
    expect(doc.toGrayImage()).toBeUndefined();
    doc.undo();
    expect(equalBytes(doc.raster.data, inverted)).toBe(true);
    const gray = doc.toGrayImage()!;
    expect([gray.width, gray.height, gray.data === doc.raster.data]).toEqual([w, h, false]);
    expect(equalBytes(gray.data, inverted)).toBe(true);

    // Painted whole, then (back to force) only a rectangle around the first dab: the rest keeps its old colour.
    const canvas = sized(w, h);
    const rgba = (p: Point) => [...canvas.getContext('2d')!.getImageData(p.x, p.y, 1, 1).data];
    paintMask(canvas, doc.raster.data, w, { x: 0, y: 0, width: w, height: h });
    expect([rgba(first), rgba(last), rgba(away)]).toEqual([
      [...PROTECT_RGB, 255],
      [...PROTECT_RGB, 255],
      [0, 0, 0, 0],
    ]);
    doc.undo();
    expect(equalBytes(doc.raster.data, painted)).toBe(true);
    paintMask(canvas, doc.raster.data, w, { x: 0, y: 1800, width: 330, height: 400 });
    expect([rgba(first), rgba(last)]).toEqual([
      [...FORCE_RGB, 255],
      [...PROTECT_RGB, 255],
    ]);

    // The stage at 100 %, panned to photo (2000, 1500): the mask is drawn cropped to the view, in place.
    const overlay = new OverlayStage(document.body.appendChild(document.createElement('div')));
    overlay.setDocument(doc);
    const pan = { x: -2000, y: -1500 };
    overlay.setView({ frameWidth: 1000, frameHeight: 700, imageWidth: w, imageHeight: h, scale: 1, ...pan });
    const stage = Konva.stages.at(-1)!;
    stage.draw();
    const layer = stage.getLayers()[1]!.getCanvas();
    const drawn = (p: Point) => {
      const ratio = layer.getPixelRatio();
      const at = { x: (p.x + pan.x) * ratio, y: (p.y + pan.y) * ratio };
      return [...layer.getContext().getImageData(at.x, at.y, 1, 1).data];
    };
    expect([drawn(middle), drawn(away)]).toEqual([
      [...FORCE_RGB, 255],
      [0, 0, 0, 0],
    ]);
    overlay.destroy();
  });
});

/** Byte-by-byte equality (expect's deep equality walks a 24 M-element array far too slowly). */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
