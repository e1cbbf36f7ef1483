// The loupe preview's region: the part of the photo on screen, cut to at most `max` pixels a side around the
// centre of the view, so a preview takes about a second on the CPU whatever the zoom.
import type { Region } from '../../../src-main/contract';
import { visibleRect, type ViewGeometry } from '../viewer/geometry';

export const LOUPE_MAX = 384;

/** The visible photo rectangle, at most `max` x `max` around the view's centre; undefined if none is visible. */
export function loupeRegion(view: ViewGeometry, max = LOUPE_MAX): Region | undefined {
  const area = visibleRect(view);
  if (!area) return undefined;
  const left = Math.floor(area.x);
  const top = Math.floor(area.y);
  const right = Math.ceil(area.x + area.width);
  const bottom = Math.ceil(area.y + area.height);
  const [x, width] = cut(left, right, max);
  const [y, height] = cut(top, bottom, max);
  return { x, y, width, height };
}

/** Start and length of at most `max` pixels centred in [from, to). */
function cut(from: number, to: number, max: number): [number, number] {
  const length = Math.min(max, to - from);
  return [Math.round((from + to - length) / 2), length];
}
