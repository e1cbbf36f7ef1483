import { describe, expect, it } from 'vitest';
import { defaultOverlap, isFullyProtected, planTiles, type TilePlan } from '../../src-main/inference/tiler';

/** Max |sum of weights - 1| over every pixel of the padded image. */
function weightError(plan: TilePlan): number {
  const sum = new Float64Array(plan.paddedWidth * plan.paddedHeight);
  for (const tile of plan.tiles) {
    for (let j = 0; j < tile.height; j++) {
      for (let i = 0; i < tile.width; i++) {
        sum[(tile.y + j) * plan.paddedWidth + tile.x + i]! +=
          plan.weightY[tile.row]![j]! * plan.weightX[tile.col]![i]!;
      }
    }
  }
  return sum.reduce((max, s) => Math.max(max, Math.abs(s - 1)), 0);
}

describe('tiler', () => {
  const sizes: [number, number, number][] = [
    [256, 384, 256],
    [2152, 1436, 256],
    [1001, 777, 512],
    [7, 5, 256], // smaller than a tile
    [130, 129, 256], // just over one multiple
    [4000, 130, 256], // extreme aspect ratios
    [100, 3000, 384],
    [640, 480, 128], // one-multiple tiles: no overlap possible on the grid
  ];

  it.each(sizes)('covers %ix%i with tile %i: grid origins, weights summing to 1', (width, height, tile) => {
    const plan = planTiles(width, height, { multiple: 128, tile });
    expect(plan.paddedWidth % 128).toBe(0);
    expect(plan.paddedHeight % 128).toBe(0);
    expect(plan.paddedWidth - width).toBeLessThan(128);
    expect(plan.paddedHeight - height).toBeLessThan(128);
    for (const t of plan.tiles) {
      expect(t.x % 128).toBe(0);
      expect(t.y % 128).toBe(0);
      expect(t.x + t.width).toBeLessThanOrEqual(plan.paddedWidth);
      expect(t.y + t.height).toBeLessThanOrEqual(plan.paddedHeight);
      expect(t.x).toBeLessThan(width); // every tile shows some of the real image
      expect(t.y).toBeLessThan(height);
    }
    expect(plan.tiles.length).toBe(plan.xs.length * plan.ys.length);
    expect(weightError(plan)).toBeLessThan(1e-6);
  });

  it('uses one padded-size tile for an image smaller than a tile', () => {
    const plan = planTiles(7, 5, { multiple: 128, tile: 256 });
    expect(plan.tiles).toEqual([{ row: 0, col: 0, x: 0, y: 0, width: 128, height: 128 }]);
  });

  it('overlaps neighbours by the default overlap and ramps smoothly there', () => {
    expect(defaultOverlap(256, 128)).toBe(128);
    expect(defaultOverlap(1024, 128)).toBe(256);
    expect(defaultOverlap(128, 128)).toBe(0);
    const plan = planTiles(384, 256, { multiple: 128, tile: 256 });
    expect(plan.xs).toEqual([0, 128]);
    const [left, right] = plan.weightX;
    expect(left![0]).toBe(1); // image border: no ramp
    expect(left![127]).toBe(1);
    expect(left![128]).toBeGreaterThan(0.99);
    expect(left![255]).toBeLessThan(0.01);
    expect(right![0]).toBeLessThan(0.01);
    for (let i = 129; i < 256; i++) expect(left![i]!).toBeLessThanOrEqual(left![i - 1]!);
  });

  it('refuses tiles that are not a multiple', () => {
    expect(() => planTiles(100, 100, { multiple: 128, tile: 200 })).toThrow(/multiple of 128/);
    expect(() => planTiles(0, 100, { multiple: 128, tile: 256 })).toThrow(/positive/);
  });

  it('finds tiles whose image area is entirely protected', () => {
    const width = 384;
    const height = 130;
    const guide = new Float32Array(width * height).fill(-1);
    guide[10 * width + 300] = 0; // one auto pixel in the right tile's own columns
    const plan = planTiles(width, height, { multiple: 128, tile: 256 });
    const protectedTiles = plan.tiles.map((tile) => isFullyProtected(guide, plan, tile));
    expect(plan.tiles.map((t) => [t.x, t.y])).toEqual([
      [0, 0],
      [128, 0],
    ]);
    expect(protectedTiles).toEqual([true, false]);
    expect(isFullyProtected(undefined, plan, plan.tiles[0]!)).toBe(false);
  });
});
