// The timed half of `npm run bench:mask` (test/bench/mask.ts runs it in Chromium through Vitest's browser mode;
// it is no test, the suite takes only *.browser.test.ts). The mask editor's commands on a big mask (default
// 6000x4000, 24 MP), each timed `runs` times on a fresh mask: a 300 px soft force stroke of 200 moves, undo and
// redo of it, invert, clear and its undo, toGrayImage, repainting the whole mask canvas and one dab's rectangle,
// and the overlay stage: attaching the mask and drawing it once fitted and once at 100 % (a pan or zoom step).
// Their medians in milliseconds go back to the driver as the test's meta. What they must do is tested in
// mask.browser.test.ts.
import Konva from 'konva';
import { inject, it } from 'vitest';
import { MaskDocument } from '../../src-renderer/features/mask/document.svelte';
import { OverlayStage } from '../../src-renderer/features/mask/overlay-stage';
import { paintMask, sized } from '../../src-renderer/features/mask/paint';

declare module 'vitest' {
  export interface ProvidedContext {
    maskBench: { width: number; height: number; runs: number; brush: number; moves: number };
  }
}

function once(width: number, height: number, brush: number, moves: number): Record<string, number> {
  const ms: Record<string, number> = {};
  const time = (name: string, run: () => void) => {
    const t0 = performance.now();
    run();
    ms[name] = performance.now() - t0;
  };
  const doc = new MaskDocument('big', width, height);
  const [x0, y0, step] = [width / 60, height / 2, (width * 0.93) / moves];
  time('beginStroke', () => doc.beginStroke({ x: x0, y: y0 }, 'force', brush, 0.7));
  time('stroke', () => {
    for (let i = 1; i <= moves; i++)
      doc.extendStroke({ x: x0 + i * step, y: y0 + height * 0.2 * Math.sin(i / 20) });
  });
  ms.perMove = ms.stroke! / moves;
  time('endStroke', () => doc.endStroke());
  time('undo', () => doc.undo());
  time('redo', () => doc.redo());
  time('invert', () => doc.invert());
  time('clear', () => doc.clear());
  time('undoClear', () => doc.undo());
  time('toGrayImage', () => doc.toGrayImage());
  const canvas = sized(width, height);
  time('repaintAll', () => paintMask(canvas, doc.raster.data, width, { x: 0, y: 0, width, height }));
  const dab = Math.ceil(brush * 1.1);
  time('repaintDab', () =>
    paintMask(canvas, doc.raster.data, width, { x: 1000, y: 1000, width: dab, height: dab }),
  );
  const container = document.body.appendChild(document.createElement('div'));
  const overlay = new OverlayStage(container);
  const view = { frameWidth: 1000, frameHeight: 700, imageWidth: width, imageHeight: height, x: 0, y: 0 };
  time('attach', () => overlay.setDocument(doc));
  const stage = Konva.stages.at(-1)!;
  time('drawFitted', () => {
    overlay.setView({ ...view, scale: 1000 / width });
    stage.draw();
  });
  time('drawActual', () => {
    overlay.setView({ ...view, scale: 1, x: -width / 3, y: -height / 3 });
    stage.draw();
  });
  overlay.destroy();
  container.remove();
  return ms;
}

it('times the mask editor on a big mask', { timeout: 600_000 }, ({ task }) => {
  const { width, height, runs, brush, moves } = inject('maskBench');
  const all = Array.from({ length: runs }, () => once(width, height, brush, moves));
  const median = (name: string) => {
    const sorted = all.map((ms) => ms[name]!).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const round = (ms: number) => +ms.toFixed(ms < 10 ? 2 : 1);
  const maskTimings = Object.fromEntries(Object.keys(all[0]!).map((name) => [name, round(median(name))]));
  Object.assign(task.meta, { maskTimings });
});
