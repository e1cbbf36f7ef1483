// The loupe's region: what is on screen, cut around the view's centre, never outside the photo.
import { describe, expect, it } from 'vitest';
import { loupeRegion } from '../../src-renderer/features/restore/loupe';

const frame = { frameWidth: 800, frameHeight: 600, imageWidth: 6000, imageHeight: 4000 };

describe('loupe region', () => {
  it('takes the whole photo when it is small and fully visible', () => {
    const view = { ...frame, imageWidth: 300, imageHeight: 200, scale: 1, x: 250, y: 200 };
    expect(loupeRegion(view)).toEqual({ x: 0, y: 0, width: 300, height: 200 });
  });

  it('cuts a zoomed-in view to at most max pixels around the centre of what is visible', () => {
    // 100 %: photo pixels 1000..1800 x 500..1100 are on screen; centre (1400, 800).
    const view = { ...frame, scale: 1, x: -1000, y: -500 };
    expect(loupeRegion(view, 384)).toEqual({ x: 1208, y: 608, width: 384, height: 384 });
  });

  it('keeps only the visible part at 400 % (smaller than max)', () => {
    const view = { ...frame, scale: 4, x: -4000, y: -2000 };
    expect(loupeRegion(view, 384)).toEqual({ x: 1000, y: 500, width: 200, height: 150 });
  });

  it('clips at the photo edges and answers undefined when the photo is off screen', () => {
    const edge = { ...frame, scale: 1, x: -5900, y: -3950 };
    expect(loupeRegion(edge, 384)).toEqual({ x: 5900, y: 3950, width: 100, height: 50 });
    expect(loupeRegion({ ...frame, scale: 1, x: -7000, y: 0 })).toBeUndefined();
  });
});
