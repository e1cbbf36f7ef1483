// The view's geometry as plain data (the viewport's fields: screen = photo * scale + (x, y)), and the part of
// the photo it shows. Plain TypeScript so node tests and the Konva stage use it without runes.
import type { Region } from '../../../src-main/contract';

export interface ViewGeometry {
  frameWidth: number;
  frameHeight: number;
  imageWidth: number;
  imageHeight: number;
  scale: number;
  x: number;
  y: number;
}

/** The photo rectangle in the frame (fractional photo pixels), or undefined when none of it is visible. */
export function visibleRect(view: ViewGeometry): Region | undefined {
  const x = Math.max(0, -view.x / view.scale);
  const y = Math.max(0, -view.y / view.scale);
  const width = Math.min(view.imageWidth, (view.frameWidth - view.x) / view.scale) - x;
  const height = Math.min(view.imageHeight, (view.frameHeight - view.y) / view.scale) - y;
  return width > 0 && height > 0 ? { x, y, width, height } : undefined;
}
