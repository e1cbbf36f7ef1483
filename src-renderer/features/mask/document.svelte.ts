// One photo's mask while the app runs: its pixels, its undo history, whether it differs from the sidecar, and the
// commands that change it. One stroke (pointer down to up, however many moves) is one undo step; clear, invert,
// fill and "use as mask" are one step each. Konva draws it (listeners get each changed rectangle); it holds nothing.
import type { GrayImage } from '../../../src-main/contract';
import { MaskHistory } from './history';
import { MaskRaster, type Point } from './raster';
import { union, whole, type Rect } from './rect';
import { encode, type Runs } from './runs';
import { AUTO, snapAll, valueOf, type MaskTool } from './values';

interface Stroke {
  value: number;
  radius: number;
  hardness: number;
  last: Point;
  /** The mask before the stroke, for the rows it touched so far (`saved` marks them). */
  before: Uint8Array;
  saved: Uint8Array;
  rect: Rect | undefined;
}

export class MaskDocument {
  readonly raster: MaskRaster;
  /** Bumps on every change to the pixels or the history (UI state derives from it). */
  revision = $state(0);
  loading = $state(false);
  error = $state<string | undefined>(undefined);
  private savedId = $state(0);
  private readonly history = new MaskHistory();
  private stroke: Stroke | undefined;
  /** Not reactive on purpose: the overlay repaints each rectangle itself. */
  private listeners: ((rect: Rect) => void)[] = [];

  readonly canUndo = $derived.by(() => this.tracked(this.history.canUndo));
  readonly canRedo = $derived.by(() => this.tracked(this.history.canRedo));
  readonly unsaved = $derived.by(() => this.tracked(this.history.stateId !== this.savedId));

  constructor(
    readonly photoId: string,
    width: number,
    height: number,
  ) {
    this.raster = new MaskRaster(width, height);
  }

  get width(): number {
    return this.raster.width;
  }

  get height(): number {
    return this.raster.height;
  }

  /** Calls `listener` with every rectangle of pixels that changed; returns the unsubscribe. */
  onChange(listener: (rect: Rect) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => (this.listeners = this.listeners.filter((known) => known !== listener));
  }

  /** Starts a stroke with a dab at `point` (photo pixels); `size` is the brush diameter. */
  beginStroke(point: Point, tool: MaskTool, size: number, hardness: number): void {
    if (this.loading) return;
    this.endStroke();
    const length = this.raster.data.length;
    this.stroke = {
      value: valueOf(tool),
      radius: size / 2,
      hardness,
      last: point,
      before: new Uint8Array(length),
      saved: new Uint8Array(this.height),
      rect: undefined,
    };
    this.paintTo(point);
  }

  extendStroke(point: Point): void {
    if (this.stroke) this.paintTo(point);
  }

  /** Ends the stroke: what it changed becomes one undo step. */
  endStroke(): void {
    const stroke = this.stroke;
    this.stroke = undefined;
    if (!stroke?.rect) return;
    // Rows inside the rect that no segment saved (one clipped away outside the photo) never changed: copy them, or
    // undo would write the zeros (protect) left there.
    const { data } = this.raster;
    for (let y = stroke.rect.y; y < stroke.rect.y + stroke.rect.height; y++) {
      if (stroke.saved[y]) continue;
      const row = y * this.width;
      stroke.before.set(data.subarray(row, row + this.width), row);
    }
    this.history.push('Stroke', encode(stroke.before, this.width, stroke.rect), this.encode(stroke.rect));
    this.revision++;
  }

  get stroking(): boolean {
    return this.stroke !== undefined;
  }

  clear(): void {
    this.apply('Clear', this.raster.contentRect(), () => this.raster.fill(AUTO));
  }

  invert(): void {
    this.apply('Invert', this.raster.contentRect(), () => this.raster.invert());
  }

  fill(tool: MaskTool): void {
    if (tool === 'auto') return this.clear();
    this.apply('Fill', whole(this.width, this.height), () => this.raster.fill(valueOf(tool)));
  }

  /** Replaces the whole mask (values snapped to the contract's three) as one step. */
  replace(values: Uint8Array, label: string): void {
    const snapped = snapAll(values);
    const rect = union(this.raster.contentRect(), this.raster.contentRect(snapped));
    this.apply(label, rect, () => this.raster.set(snapped));
  }

  undo(): void {
    this.endStroke();
    this.changed(this.history.undo(this.raster.data, this.width));
  }

  redo(): void {
    this.endStroke();
    this.changed(this.history.redo(this.raster.data, this.width));
  }

  /** The sidecar (or nothing) as the starting point: no undo step, and nothing unsaved. */
  load(mask: GrayImage | undefined): void {
    this.endStroke();
    if (mask && (mask.width !== this.width || mask.height !== this.height)) {
      throw new Error(`The mask is ${mask.width}x${mask.height}, the photo ${this.width}x${this.height}`);
    }
    if (mask) this.raster.set(snapAll(mask.data));
    else this.raster.fill(AUTO);
    this.history.reset();
    this.savedId = this.history.stateId;
    this.changed(whole(this.width, this.height));
  }

  /** Names the current mask, to pass to markSaved once a save of it finished. */
  get stateId(): number {
    return this.history.stateId;
  }

  markSaved(stateId: number): void {
    this.savedId = stateId;
  }

  /** The mask at the photo's size, undefined when every pixel is auto. */
  toGrayImage(): GrayImage | undefined {
    if (this.raster.isAuto()) return undefined;
    return { width: this.width, height: this.height, data: this.raster.data.slice() };
  }

  /** `value`, read after `revision` so a derived re-runs on every change. */
  private tracked<T>(value: T): T {
    void this.revision;
    return value;
  }

  private paintTo(point: Point): void {
    const s = this.stroke!;
    const rect = this.raster.paintSegment(s.last, point, s.radius, s.hardness, s.value, (y0, y1) => {
      for (let y = y0; y < y1; y++) {
        if (s.saved[y]) continue;
        s.saved[y] = 1;
        const row = y * this.width;
        s.before.set(this.raster.data.subarray(row, row + this.width), row);
      }
    });
    s.last = point;
    s.rect = union(s.rect, rect);
    if (rect) this.listeners.forEach((listener) => listener(rect));
  }

  /** A whole-mask command as one step; `rect` holds every pixel it may change (outside it both sides are auto). */
  private apply(label: string, rect: Rect | undefined, change: () => void): void {
    this.endStroke();
    if (!rect) return;
    const before = this.encode(rect);
    change();
    const after = this.encode(rect);
    if (same(before, after)) return;
    this.history.push(label, before, after);
    this.changed(rect);
  }

  private encode(rect: Rect): Runs {
    return encode(this.raster.data, this.width, rect);
  }

  private changed(rect: Rect | undefined): void {
    this.revision++;
    if (rect) this.listeners.forEach((listener) => listener(rect));
  }
}

function same(a: Runs, b: Runs): boolean {
  if (a.lengths.length !== b.lengths.length) return false;
  for (let i = 0; i < a.lengths.length; i++) {
    if (a.lengths[i] !== b.lengths[i] || a.values[i] !== b.values[i]) return false;
  }
  return true;
}
