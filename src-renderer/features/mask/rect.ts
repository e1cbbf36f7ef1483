// Rectangles in photo pixels (integer, half-open: x..x+width). The contract's Region has the same shape.
import type { Region } from '../../../src-main/contract';

export type Rect = Region;

/** The smallest rectangle holding both (either may be undefined). */
export function union(a: Rect | undefined, b: Rect | undefined): Rect | undefined {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** `r` cut to a width x height image; undefined when nothing of it is left. */
export function clip(r: Rect, width: number, height: number): Rect | undefined {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(width, Math.ceil(r.x + r.width));
  const y1 = Math.min(height, Math.ceil(r.y + r.height));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}

export function whole(width: number, height: number): Rect {
  return { x: 0, y: 0, width, height };
}
