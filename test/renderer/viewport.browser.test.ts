import { describe, expect, it } from 'vitest';
import { CompareState } from '../../src-renderer/features/viewer/compare.svelte';
import { MAX_SCALE, ViewportState } from '../../src-renderer/features/viewer/viewport.svelte';

function view(frame: [number, number], image: [number, number]): ViewportState {
  const v = new ViewportState();
  v.setFrame(...frame);
  v.setImage(...image);
  return v;
}

describe('viewport', () => {
  it('fits a large photo centred, and never enlarges a small one', () => {
    const big = view([800, 600], [6000, 4000]);
    expect(big.scale).toBeCloseTo(800 / 6000);
    expect(big.y).toBeCloseTo((600 - 4000 * big.scale) / 2);
    expect(big.x).toBeCloseTo(0);
    const small = view([800, 600], [200, 100]);
    expect(small).toMatchObject({ scale: 1, x: 300, y: 250, fitted: true });
  });

  it('zooms about the cursor: the photo point under it stays put', () => {
    const v = view([800, 600], [6000, 4000]);
    const before = v.toPhoto(123, 456);
    v.zoomAt(3.7, 123, 456);
    const after = v.toPhoto(123, 456);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    expect(v.fitted).toBe(false);
    v.zoomAt(1e6, 0, 0);
    expect(v.scale).toBe(MAX_SCALE);
  });

  it('100 % keeps the centre; pan moves; resizing the frame refits only while fitted', () => {
    const v = view([800, 600], [6000, 4000]);
    const centre = v.toPhoto(400, 300);
    v.actual();
    expect(v.scale).toBe(1);
    expect(v.toPhoto(400, 300).x).toBeCloseTo(centre.x);
    v.panBy(10, -5);
    expect(v.toPhoto(400, 300).x).toBeCloseTo(centre.x - 10);
    v.setFrame(1000, 700);
    expect(v.scale).toBe(1);
    v.fit();
    v.setFrame(1200, 800);
    expect(v.scale).toBeCloseTo(1200 / 6000);
  });

  it('tells the part of the photo inside the frame, none when panned away', () => {
    const v = view([800, 600], [6000, 4000]);
    const area = () => {
      const a = v.visibleArea();
      return (
        a && {
          x: Math.round(a.x),
          y: Math.round(a.y),
          width: Math.round(a.width),
          height: Math.round(a.height),
        }
      );
    };
    expect(area()).toEqual({ x: 0, y: 0, width: 6000, height: 4000 });
    v.actual();
    expect(area()).toEqual({ x: 2600, y: 1700, width: 800, height: 600 });
    v.panBy(3000, 0);
    expect(area()).toEqual({ x: 0, y: 1700, width: 400, height: 600 });
    v.panBy(10000, 0);
    expect(area()).toBeUndefined();
  });
});

describe('compare', () => {
  it('hides the result left of the split line, all of it while the original is held', () => {
    const c = new CompareState();
    // Frame 800 px, photo 400 px wide drawn at scale 1 from x = 200: the line at 400 px is photo x 200.
    expect(c.clipLeft(800, 1, 200, 400)).toBe(200);
    c.setSplit(0);
    expect(c.clipLeft(800, 1, 200, 400)).toBe(0);
    c.setSplit(2);
    expect(c.split).toBe(1);
    expect(c.clipLeft(800, 1, 200, 400)).toBe(400);
    c.setSplit(0.5);
    c.holdingOriginal = true;
    expect(c.clipLeft(800, 1, 200, 400)).toBe(400);
    c.holdingOriginal = false;
    c.toggle();
    expect(c.clipLeft(800, 1, 200, 400)).toBe(0);
  });
});
