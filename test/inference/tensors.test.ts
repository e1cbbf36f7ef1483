import { describe, expect, it } from 'vitest';
import {
  cropMap,
  cropToPlanar,
  fromPlanar,
  reflectIndex,
  roundUp,
  toPlanar,
} from '../../src-main/inference/tensors';

describe('tensors', () => {
  it('reflects indices without repeating the edge, also far outside', () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7].map((i) => reflectIndex(i, 4))).toEqual([
      3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1,
    ]);
    expect(reflectIndex(200, 1)).toBe(0);
    expect(roundUp(129, 128)).toBe(256);
    expect(roundUp(128, 128)).toBe(128);
  });

  it('converts interleaved 8-bit RGB to planar [0,1] floats and back exactly', () => {
    const data = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 23) % 256);
    const planar = toPlanar({ width: 4, height: 3, data });
    expect(planar.length).toBe(36);
    expect(planar[0]).toBeCloseTo(data[0]! / 255, 7); // R of pixel 0
    expect(planar[12]).toBeCloseTo(data[1]! / 255, 7); // G plane starts at 12
    expect(planar[24 + 5]).toBeCloseTo(data[5 * 3 + 2]! / 255, 7); // B of pixel 5
    expect(fromPlanar(planar, 4, 3, 8).data).toEqual(data);
  });

  it('round-trips 16-bit samples exactly', () => {
    const data = Uint16Array.from({ length: 5 * 2 * 3 }, (_, i) => (i * 2654435761) % 65536);
    const back = fromPlanar(toPlanar({ width: 5, height: 2, data }), 5, 2, 16).data;
    expect(back).toBeInstanceOf(Uint16Array);
    expect(back).toEqual(data);
  });

  it('clamps and rounds when converting back', () => {
    const planar = Float32Array.from([-0.5, 1.5, 0.5, NaN, 0, 1]);
    expect(Array.from(fromPlanar(planar, 2, 1, 8).data)).toEqual([0, 128, 0, 255, 0, 255]);
  });

  it('crops with reflect padding past the bottom-right edge', () => {
    // 3x2 image, R = x + 10 * y; crop 5x3 from (1,0): columns 1,2,1,0,1 and rows 0,1,0.
    const data = new Uint8Array(3 * 2 * 3);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) data[(y * 3 + x) * 3] = x + 10 * y;
    const crop = cropToPlanar({ width: 3, height: 2, data }, 1, 0, 5, 3);
    const red = Array.from(crop.subarray(0, 15), (v) => Math.round(v * 255));
    expect(red).toEqual([1, 2, 1, 0, 1, 11, 12, 11, 10, 11, 1, 2, 1, 0, 1]);
    const map = Float32Array.from([0, 1, 2, 10, 11, 12]);
    expect(Array.from(cropMap(map, 3, 2, 1, 0, 5, 3))).toEqual(red);
    // With a fill value the outside is that value, not a reflection (the guide's padding is auto).
    expect(Array.from(cropMap(map, 3, 2, 1, 0, 5, 3, 0))).toEqual([
      1, 2, 0, 0, 0, 11, 12, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });
});
