// Tiling plan: the image is reflect-padded (bottom and right) to the model's multiple, cut into tiles whose
// origins lie on that grid, and the tiles overlap. Each axis gets 1-D raised-cosine weights over the overlaps,
// normalised so they sum to exactly 1 at every coordinate; the 2-D weight of a tile is the product of its row
// and column weights, so the weights of all tiles sum to 1 at every pixel.

export interface TileOptions {
  /** The model's input multiple (manifest.inputMultiple). */
  multiple: number;
  /** Tile edge in pixels, a multiple of `multiple` (manifest.recommendedTile or the user's --tile). */
  tile: number;
  /** Overlap between neighbouring tiles, a multiple of `multiple`; default: see defaultOverlap(). */
  overlap?: number;
}

export interface Tile {
  row: number;
  col: number;
  /** Top-left corner in padded image coordinates (on the multiple grid). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TilePlan {
  width: number;
  height: number;
  paddedWidth: number;
  paddedHeight: number;
  tileWidth: number;
  tileHeight: number;
  /** Origins along each axis. */
  xs: number[];
  ys: number[];
  /** Normalised 1-D weights, one array per column (length tileWidth) and per row (length tileHeight). */
  weightX: Float32Array[];
  weightY: Float32Array[];
  tiles: Tile[];
}

/** Overlap used unless one is given: a quarter of the tile, at least one multiple (none for a 1-multiple tile). */
export function defaultOverlap(tile: number, multiple: number): number {
  if (tile < 2 * multiple) return 0;
  return multiple * Math.max(1, Math.floor(tile / (4 * multiple)));
}

export function planTiles(width: number, height: number, options: TileOptions): TilePlan {
  const { multiple, tile } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  if (!Number.isInteger(tile) || tile < multiple || tile % multiple !== 0) {
    throw new RangeError(`tile size must be a multiple of ${multiple}, got ${tile}`);
  }
  const overlap = options.overlap ?? defaultOverlap(tile, multiple);
  if (overlap % multiple !== 0 || overlap < 0 || overlap >= tile) {
    throw new RangeError(
      `tile overlap must be a multiple of ${multiple} below the tile size, got ${overlap}`,
    );
  }
  const paddedWidth = Math.ceil(width / multiple) * multiple;
  const paddedHeight = Math.ceil(height / multiple) * multiple;
  const x = axis(paddedWidth, tile, overlap);
  const y = axis(paddedHeight, tile, overlap);
  const tiles: Tile[] = [];
  y.origins.forEach((ty, row) =>
    x.origins.forEach((tx, col) => tiles.push({ row, col, x: tx, y: ty, width: x.size, height: y.size })),
  );
  return {
    width,
    height,
    paddedWidth,
    paddedHeight,
    tileWidth: x.size,
    tileHeight: y.size,
    xs: x.origins,
    ys: y.origins,
    weightX: x.weights,
    weightY: y.weights,
    tiles,
  };
}

interface Axis {
  size: number;
  origins: number[];
  weights: Float32Array[];
}

/** Tiles along one padded axis: origins every `tile - overlap`, the last one flush with the end. */
function axis(length: number, tile: number, overlap: number): Axis {
  const size = Math.min(tile, length);
  const stride = size - overlap;
  const origins = [0];
  while (origins.at(-1)! + size < length) {
    origins.push(Math.min(origins.at(-1)! + Math.max(stride, 1), length - size));
  }
  const raw = origins.map((origin, i) => {
    const before = i > 0 ? origins[i - 1]! + size - origin : 0;
    const after = i < origins.length - 1 ? origin + size - origins[i + 1]! : 0;
    const w = new Float32Array(size);
    for (let j = 0; j < size; j++) w[j] = ramp(j, before) * ramp(size - 1 - j, after);
    return w;
  });
  const sum = new Float64Array(length);
  origins.forEach((origin, i) => raw[i]!.forEach((value, j) => (sum[origin + j]! += value)));
  const weights = raw.map((w, i) => w.map((value, j) => value / sum[origins[i]! + j]!));
  return { size, origins, weights };
}

/** Raised-cosine ramp over `length` pixels from the tile's edge (1 beyond it); never 0. */
function ramp(distance: number, length: number): number {
  if (distance >= length) return 1;
  const s = Math.sin(((distance + 0.5) / length) * (Math.PI / 2));
  return s * s;
}

/** The tile's area inside the real (unpadded) image. */
export function visibleArea(plan: TilePlan, tile: Tile): { x1: number; y1: number } {
  return { x1: Math.min(tile.x + tile.width, plan.width), y1: Math.min(tile.y + tile.height, plan.height) };
}

/** True when every guide value over the tile's image area is "protect" (< -0.5): the tile need not run. */
export function isFullyProtected(guide: Float32Array | undefined, plan: TilePlan, tile: Tile): boolean {
  if (!guide) return false;
  const { x1, y1 } = visibleArea(plan, tile);
  for (let y = tile.y; y < y1; y++) {
    const row = y * plan.width;
    for (let x = tile.x; x < x1; x++) if (!(guide[row + x]! < -0.5)) return false;
  }
  return true;
}
