// The view transform of the photo in its frame: screen = photo * scale + (x, y). Fit, 100 %, zoom about a point
// and pan. The Konva stage of the mask editor will take the same transform.
import type { Region } from '../../../src-main/contract';
import { visibleRect } from './geometry';

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 32;
const STEP = 1.25;

export class ViewportState {
  frameWidth = $state(0);
  frameHeight = $state(0);
  imageWidth = $state(0);
  imageHeight = $state(0);
  scale = $state(1);
  x = $state(0);
  y = $state(0);
  /** True while the view follows the frame (fit); any zoom or pan turns it off. */
  fitted = $state(true);

  readonly percent = $derived(Math.round(this.scale * 100));

  setFrame(width: number, height: number): void {
    this.frameWidth = width;
    this.frameHeight = height;
    if (this.fitted) this.fit();
  }

  setImage(width: number, height: number): void {
    const changed = width !== this.imageWidth || height !== this.imageHeight;
    this.imageWidth = width;
    this.imageHeight = height;
    if (changed) this.fit();
  }

  /** The whole photo inside the frame, centred, never enlarged past 100 %. */
  fit(): void {
    this.fitted = true;
    if (!this.imageWidth || !this.imageHeight || !this.frameWidth || !this.frameHeight) return;
    this.scale = Math.min(1, this.frameWidth / this.imageWidth, this.frameHeight / this.imageHeight);
    this.centre();
  }

  /** One photo pixel per screen pixel, keeping the frame's centre on the same photo point. */
  actual(): void {
    this.zoomAt(1 / this.scale, this.frameWidth / 2, this.frameHeight / 2);
  }

  zoomIn(): void {
    this.zoomAt(STEP, this.frameWidth / 2, this.frameHeight / 2);
  }

  zoomOut(): void {
    this.zoomAt(1 / STEP, this.frameWidth / 2, this.frameHeight / 2);
  }

  /** Zooms by `factor` keeping the photo point under the frame point (cx, cy) where it is (zoom to cursor). */
  zoomAt(factor: number, cx: number, cy: number): void {
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const k = scale / this.scale;
    this.x = cx - (cx - this.x) * k;
    this.y = cy - (cy - this.y) * k;
    this.scale = scale;
    this.fitted = false;
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.fitted = false;
  }

  /** The part of the photo inside the frame, in photo pixels; undefined when none of it shows. */
  visibleArea(): Region | undefined {
    return visibleRect(this);
  }

  /** The photo point under a frame point. */
  toPhoto(fx: number, fy: number): { x: number; y: number } {
    return { x: (fx - this.x) / this.scale, y: (fy - this.y) / this.scale };
  }

  private centre(): void {
    this.x = (this.frameWidth - this.imageWidth * this.scale) / 2;
    this.y = (this.frameHeight - this.imageHeight * this.scale) / 2;
  }
}
