// The loupe preview's region: the part of the photo on screen, cut to at most `max` pixels a side around the
// centre of the view, so a preview takes about a second on the CPU whatever the zoom.
import type { Region } from '../../../src-main/contract';

export const LOUPE_MAX = 384;

export interface View {
  frameWidth: number;
  frameHeight: number;
  imageWidth: number;
  imageHeight: number;
  scale: number;
  x: number;
  y: number;
}

/** The visible photo rectangle, at most `max` x `max` around the view's centre; undefined if none is visible. */
export function loupeRegion(view: View, max = LOUPE_MAX): Region | undefined {
  const left = Math.max(0, Math.floor(-view.x / view.scale));
  const top = Math.max(0, Math.floor(-view.y / view.scale));
  const right = Math.min(view.imageWidth, Math.ceil((view.frameWidth - view.x) / view.scale));
  const bottom = Math.min(view.imageHeight, Math.ceil((view.frameHeight - view.y) / view.scale));
  if (right <= left || bottom <= top) return undefined;
  return { ...cut(left, right, max), ...axis(cut(top, bottom, max)) };
}

function cut(from: number, to: number, max: number): { x: number; width: number } {
  const width = Math.min(max, to - from);
  return { x: Math.round((from + to - width) / 2), width };
}

function axis(span: { x: number; width: number }): { y: number; height: number } {
  return { y: span.x, height: span.width };
}
