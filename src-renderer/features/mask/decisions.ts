// The model's window decisions in photo coordinates: stage names, which cells a stage processed, where its window
// grid lies, and the mask "Use as mask" makes of them. DecisionGrids: docs/model-contract.md and the contract.
import type { DecisionGrids } from '../../../src-main/contract';
import type { Rect } from './rect';
import { FORCE, PROTECT } from './values';

/** Stage order of the `decisions` output: encoder 0-3, bottleneck, decoder 0-3 (named from 1 for people). */
export const STAGE_NAMES = [
  'Encoder 1',
  'Encoder 2',
  'Encoder 3',
  'Encoder 4',
  'Bottleneck',
  'Decoder 1',
  'Decoder 2',
  'Decoder 3',
  'Decoder 4',
] as const;

/** Where the grids start in the photo: (0, 0), or a loupe preview's region corner. */
export interface Origin {
  x: number;
  y: number;
}

/** True when there are grids with cells to draw (a run reported with none has count 0). */
export function hasCells(grids: DecisionGrids | undefined): grids is DecisionGrids {
  return grids !== undefined && grids.count > 0 && grids.width > 0 && grids.height > 0;
}

export function processed(grids: DecisionGrids, stage: number, cx: number, cy: number): boolean {
  return (grids.data[(stage * grids.height + cy) * grids.width + cx] ?? 0) >= 128;
}

/** The photo rectangle of every cell `stage` processed (factor x factor photo pixels each). */
export function cellRects(grids: DecisionGrids, stage: number, origin: Origin = { x: 0, y: 0 }): Rect[] {
  const rects: Rect[] = [];
  const f = grids.factor;
  for (let cy = 0; cy < grids.height; cy++) {
    for (let cx = 0; cx < grids.width; cx++) {
      if (processed(grids, stage, cx, cy)) {
        rects.push({ x: origin.x + cx * f, y: origin.y + cy * f, width: f, height: f });
      }
    }
  }
  return rects;
}

/** Positions (photo pixels) of `stage`'s window grid lines along one axis, from `start` over `extent` pixels. */
export function gridLines(grids: DecisionGrids, stage: number, start: number, extent: number): number[] {
  const step = grids.windows[stage] ?? grids.factor;
  const lines: number[] = [];
  for (let p = 0; p <= extent; p += step) lines.push(start + p);
  return lines;
}

/**
 * The model's proposal as a mask at the photo's size: force where encoder stage 1 (index 0) decided to process a
 * window, protect everywhere else. Why stage 0's decisions and not the confidence map over a threshold: they are
 * what the model itself would do at full resolution for the threshold the detection ran with (the per-pixel
 * confidence is averaged over each window before tau is applied), they come in whole windows, so the mask has no
 * speckle, and forcing exactly those windows makes the Run that follows process what the overlay showed.
 */
export function proposal(
  grids: DecisionGrids,
  width: number,
  height: number,
  origin: Origin = { x: 0, y: 0 },
): Uint8Array {
  const data = new Uint8Array(width * height).fill(PROTECT);
  const { factor: f, width: cells, data: decided } = grids;
  for (let y = 0; y < height; y++) {
    const cy = Math.floor((y - origin.y) / f);
    if (cy < 0 || cy >= grids.height) continue;
    for (let cx = 0; cx < cells; cx++) {
      if ((decided[cy * cells + cx] ?? 0) < 128) continue;
      const x0 = Math.max(0, origin.x + cx * f);
      const x1 = Math.min(width, origin.x + (cx + 1) * f);
      if (x1 > x0) data.fill(FORCE, y * width + x0, y * width + x1);
    }
  }
  return data;
}
