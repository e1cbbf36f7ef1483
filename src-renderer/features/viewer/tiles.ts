// Full-resolution tiles over the screen copy (contract: ViewImage). The viewer always draws the screen copy; once
// the view shows the photo's pixels bigger than the copy's, it also draws the tiles that meet the visible area,
// in photo coordinates inside the transformed photo layer. A few tiles seen last are kept (panning back is free);
// the farthest ones go first. Plain functions here; TileSet (tiles.svelte.ts) holds one layer's tiles.
import type { ViewImage } from '../../../src-main/contract';

/** A rectangle in photo pixels. */
export interface PhotoRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Tile extends PhotoRect {
  column: number;
  row: number;
  url: string;
}

/** Tiles kept at most, visible ones included (a 1024 px tile is 4 MB decoded). */
export const TILES_KEPT = 16;

/**
 * True when the view shows more detail than the screen copy has: the photo drawn at `scale` is larger than the
 * copy (in CSS pixels, so a HiDPI fit view stays on the copy). Never for a photo that fits the copy (it is the
 * photo itself).
 */
export function needsTiles(image: ViewImage, photoWidth: number, scale: number): boolean {
  return image.screenWidth < photoWidth && scale > image.screenWidth / photoWidth;
}

/** The part of `area` between photo columns x0 and x1 (one side of the compare split); undefined when empty. */
export function within(area: PhotoRect | undefined, x0: number, x1: number): PhotoRect | undefined {
  if (!area) return undefined;
  const x = Math.max(area.x, x0);
  const width = Math.min(area.x + area.width, x1) - x;
  return width > 0 ? { ...area, x, width } : undefined;
}

/** The tiles of a width x height image that meet `area` (photo pixels), row by row. */
export function tilesIn(image: ViewImage, width: number, height: number, area: PhotoRect): Tile[] {
  const size = image.tileSize;
  const x0 = Math.max(0, area.x);
  const y0 = Math.max(0, area.y);
  const x1 = Math.min(width, area.x + area.width);
  const y1 = Math.min(height, area.y + area.height);
  const tiles: Tile[] = [];
  if (x1 <= x0 || y1 <= y0) return tiles;
  for (let row = Math.floor(y0 / size); row * size < y1; row++) {
    for (let column = Math.floor(x0 / size); column * size < x1; column++) {
      const x = column * size;
      const y = row * size;
      tiles.push({
        column,
        row,
        x,
        y,
        width: Math.min(size, width - x),
        height: Math.min(size, height - y),
        url: image.tileUrl.replace('{column}', String(column)).replace('{row}', String(row)),
      });
    }
  }
  return tiles;
}

/**
 * The tiles to draw next: the kept ones, then the visible ones not kept yet, with the hidden tiles farthest from
 * `area`'s centre dropped until at most TILES_KEPT remain (the visible ones always stay).
 */
export function keepTiles(kept: readonly Tile[], visible: readonly Tile[], area: PhotoRect): Tile[] {
  const seen = new Set(visible.map((tile) => tile.url));
  const next = [...kept.filter((tile) => !seen.has(tile.url)), ...visible];
  if (next.length <= TILES_KEPT) return next;
  const cx = area.x + area.width / 2;
  const cy = area.y + area.height / 2;
  const distance = (t: Tile) => Math.hypot(t.x + t.width / 2 - cx, t.y + t.height / 2 - cy);
  const far = next.filter((tile) => !seen.has(tile.url)).sort((a, b) => distance(b) - distance(a));
  const gone = new Set(far.slice(0, next.length - TILES_KEPT));
  return next.filter((tile) => !gone.has(tile));
}
