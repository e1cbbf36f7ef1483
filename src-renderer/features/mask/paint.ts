// Pixels for the overlay canvases: the mask in two colours (auto transparent), the confidence as a heat map, and
// one stage's decisions as one canvas pixel per cell (drawn scaled by `factor`, without smoothing).
import type { DecisionGrids, GrayImage } from '../../../src-main/contract';
import type { Rect } from './rect';
import { FORCE, PROTECT } from './values';

/** Orange-red for force, sky blue for protect: apart for every common kind of colour blindness. */
export const FORCE_RGB = [255, 84, 40] as const;
export const PROTECT_RGB = [40, 160, 255] as const;
export const CELL_RGBA = [200, 255, 60, 110] as const;

/** RGBA bytes as one little-endian word, as a Uint32Array view of ImageData reads them. */
function word(r: number, g: number, b: number, a = 255): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

const MASK_COLOURS = new Uint32Array(256);
MASK_COLOURS[FORCE] = word(...FORCE_RGB);
MASK_COLOURS[PROTECT] = word(...PROTECT_RGB);

/** Confidence 0..255: transparent violet through red to opaque yellow. */
const HEAT = Uint32Array.from({ length: 256 }, (_, v) => {
  const t = v / 255;
  return word(
    Math.round(120 + 135 * Math.min(1, t * 1.6)),
    Math.round(230 * Math.max(0, t * 1.4 - 0.4)),
    Math.round(200 * (1 - t)),
    Math.round(220 * Math.min(1, t * 1.5)),
  );
});

/** Paints `rect` of the mask into `canvas` (the photo's size). */
export function paintMask(canvas: HTMLCanvasElement, data: Uint8Array, width: number, rect: Rect): void {
  const image = new ImageData(rect.width, rect.height);
  const out = new Uint32Array(image.data.buffer);
  let o = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const end = y * width + rect.x + rect.width;
    for (let i = y * width + rect.x; i < end; i++) out[o++] = MASK_COLOURS[data[i]!]!;
  }
  canvas.getContext('2d')!.putImageData(image, rect.x, rect.y);
}

export function heatCanvas(confidence: GrayImage): HTMLCanvasElement {
  const canvas = sized(confidence.width, confidence.height);
  const image = new ImageData(confidence.width, confidence.height);
  const out = new Uint32Array(image.data.buffer);
  const data = confidence.data;
  for (let i = 0; i < data.length; i++) out[i] = HEAT[data[i]!]!;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}

/** One pixel per cell of `stage`: CELL_RGBA where it processed the window, transparent elsewhere. */
export function cellsCanvas(grids: DecisionGrids, stage: number): HTMLCanvasElement {
  const canvas = sized(grids.width, grids.height);
  const image = new ImageData(grids.width, grids.height);
  const out = new Uint32Array(image.data.buffer);
  const on = word(...CELL_RGBA);
  const offset = stage * grids.width * grids.height;
  const data = grids.data;
  for (let i = 0; i < out.length; i++) out[i] = (data[offset + i] ?? 0) >= 128 ? on : 0;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}

export function sized(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}
