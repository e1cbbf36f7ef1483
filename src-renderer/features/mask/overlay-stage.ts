// The Konva stage over the viewer. It draws the state (the selected photo's mask, an analysis overlay, the brush
// cursor) and holds none of it. The stage takes the viewport's transform, screen = photo * scale + (x, y), so
// every node is placed in photo pixels and lines up with the photo at any zoom. Big images are drawn cropped to
// the part of the photo in view; mask changes repaint only their rectangle, once per animation frame.
import Konva from 'konva';
import type { DecisionGrids, GrayImage } from '../../../src-main/contract';
import type { ViewGeometry } from '../viewer/geometry';
import type { Origin } from './decisions';
import type { MaskDocument } from './document.svelte';
import { cellsCanvas, heatCanvas, paintMask, sized } from './paint';
import type { Point } from './raster';
import { clip, union, whole, type Rect } from './rect';

export type Analysis =
  | { kind: 'heat'; confidence: GrayImage }
  | { kind: 'cells'; grids: DecisionGrids; stage: number; origin: Origin };

/** Grid lines closer than this on screen would be a solid wash: they are left out until the user zooms in. */
const MIN_LINE_SPACING = 10;

export class OverlayStage {
  private readonly stage: Konva.Stage;
  private readonly analysisLayer = new Konva.Layer({ listening: false });
  private readonly maskLayer = new Konva.Layer({ listening: false });
  private readonly cursorLayer = new Konva.Layer({ listening: false });
  private readonly maskImage = new Konva.Image({ image: undefined, name: 'mask' });
  private readonly heatImage = new Konva.Image({ image: undefined, name: 'heat', visible: false });
  private readonly cellsImage = new Konva.Image({ image: undefined, name: 'cells', visible: false });
  private readonly grid = new Konva.Shape({
    name: 'grid',
    visible: false,
    stroke: 'rgba(255, 255, 255, 0.4)',
    strokeWidth: 1,
    strokeScaleEnabled: false,
    sceneFunc: (context, shape) => this.drawGrid(context, shape),
  });
  private readonly cursor = [
    new Konva.Circle({
      name: 'cursor',
      stroke: 'rgba(0, 0, 0, 0.7)',
      strokeWidth: 3,
      strokeScaleEnabled: false,
    }),
    new Konva.Circle({ name: 'cursor', stroke: '#fff', strokeWidth: 1, strokeScaleEnabled: false }),
  ];
  private view = { scale: 1, x: 0, y: 0 };
  private document: MaskDocument | undefined;
  private detach: (() => void) | undefined;
  private maskCanvas: HTMLCanvasElement | undefined;
  private dirty: Rect | undefined;
  private frame = 0;
  private analysis: Analysis | undefined;
  private analysisSource: unknown;
  private photo = { width: 0, height: 0 };

  constructor(container: HTMLDivElement) {
    this.stage = new Konva.Stage({ container, width: 1, height: 1, listening: false });
    this.analysisLayer.add(this.heatImage, this.cellsImage, this.grid);
    this.maskLayer.add(this.maskImage);
    this.cursorLayer.add(...this.cursor);
    this.stage.add(this.analysisLayer, this.maskLayer, this.cursorLayer);
  }

  /** The frame's and the photo's sizes and the viewport's transform (viewport.svelte.ts has the same fields). */
  setView(view: ViewGeometry): void {
    const { scale, x, y } = view;
    this.stage.size({ width: Math.max(1, view.frameWidth), height: Math.max(1, view.frameHeight) });
    this.photo = { width: view.imageWidth, height: view.imageHeight };
    this.analysisLayer.clip(whole(view.imageWidth, view.imageHeight));
    this.view = { scale, x, y };
    this.stage.scale({ x: scale, y: scale });
    this.stage.position({ x, y });
    this.maskLayer.imageSmoothingEnabled(scale < 1);
    this.cropToView();
    this.stage.batchDraw();
  }

  /** The mask to draw (the selected photo's), or none. */
  setDocument(document: MaskDocument | undefined): void {
    if (document === this.document) return;
    this.detach?.();
    this.detach = undefined;
    this.document = document;
    this.dirty = undefined;
    if (!document) {
      this.maskImage.image(undefined);
      this.maskLayer.batchDraw();
      return;
    }
    const { width, height } = document;
    this.maskCanvas =
      this.maskCanvas?.width === width && this.maskCanvas.height === height
        ? this.maskCanvas
        : sized(width, height);
    paintMask(this.maskCanvas, document.raster.data, width, whole(width, height));
    this.maskImage.image(this.maskCanvas);
    this.detach = document.onChange((rect) => this.invalidate(rect));
    this.cropToView();
    this.maskLayer.batchDraw();
  }

  setMaskStyle(visible: boolean, opacity: number): void {
    this.maskLayer.visible(visible);
    this.maskImage.opacity(opacity);
    this.maskLayer.batchDraw();
  }

  /** The brush outline at `centre` (photo pixels), or hidden. */
  setCursor(centre: Point | undefined, radius: number): void {
    for (const circle of this.cursor) {
      circle.visible(centre !== undefined);
      if (centre) circle.setAttrs({ x: centre.x, y: centre.y, radius });
    }
    this.cursorLayer.batchDraw();
  }

  /** The heat map or one stage's decisions under the mask, or nothing. */
  setAnalysis(analysis: Analysis | undefined): void {
    const source =
      analysis?.kind === 'heat' ? analysis.confidence : analysis && [analysis.grids, analysis.stage];
    const same =
      Array.isArray(source) && Array.isArray(this.analysisSource)
        ? source[0] === this.analysisSource[0] && source[1] === this.analysisSource[1]
        : source === this.analysisSource;
    this.analysis = analysis;
    this.heatImage.visible(analysis?.kind === 'heat');
    this.cellsImage.visible(analysis?.kind === 'cells');
    this.grid.visible(analysis?.kind === 'cells');
    if (!same) {
      this.analysisSource = source;
      if (analysis?.kind === 'heat') this.heatImage.image(heatCanvas(analysis.confidence));
      if (analysis?.kind === 'cells') {
        const { grids, stage, origin } = analysis;
        this.cellsImage.setAttrs({
          image: cellsCanvas(grids, stage),
          x: origin.x,
          y: origin.y,
          width: grids.width * grids.factor,
          height: grids.height * grids.factor,
        });
      }
    }
    this.cropToView();
    this.analysisLayer.batchDraw();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.detach?.();
    this.stage.destroy();
  }

  private invalidate(rect: Rect): void {
    this.dirty = union(this.dirty, rect);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Repaints the rectangle changed since the last frame and draws the mask layer. */
  private flush(): void {
    this.frame = 0;
    const rect = this.dirty;
    this.dirty = undefined;
    if (!rect || !this.document || !this.maskCanvas) return;
    paintMask(this.maskCanvas, this.document.raster.data, this.document.width, rect);
    this.maskLayer.draw();
  }

  /** Points the big images at the part of the photo in view (drawImage then reads only that part). */
  private cropToView(): void {
    const { scale, x, y } = this.view;
    const size = this.stage.size();
    const visible = clip(
      { x: -x / scale, y: -y / scale, width: size.width / scale + 1, height: size.height / scale + 1 },
      this.photo.width,
      this.photo.height,
    );
    const heat = this.analysis?.kind === 'heat' ? this.analysis.confidence : undefined;
    for (const [node, shown] of [
      [this.maskImage, this.document !== undefined],
      [this.heatImage, heat !== undefined],
    ] as const) {
      if (!shown) continue;
      node.visible(visible !== undefined);
      if (!visible) continue;
      node.position(visible);
      node.size(visible);
      node.crop(visible);
    }
    this.analysisLayer.imageSmoothingEnabled(this.analysis?.kind === 'heat' && scale < 1);
  }

  /** Stage k's window grid: a line every windows[k] photo pixels over the grids' extent within the photo. */
  private drawGrid(context: Konva.Context, shape: Konva.Shape): void {
    if (this.analysis?.kind !== 'cells') return;
    const { grids, stage, origin } = this.analysis;
    const step = grids.windows[stage] ?? grids.factor;
    if (step * this.view.scale < MIN_LINE_SPACING) return;
    const area = clip(
      { ...origin, width: grids.width * grids.factor, height: grids.height * grids.factor },
      this.photo.width,
      this.photo.height,
    );
    if (!area) return;
    const x1 = area.x + area.width;
    const y1 = area.y + area.height;
    context.beginPath();
    for (let x = origin.x + Math.ceil((area.x - origin.x) / step) * step; x <= x1; x += step) {
      context.moveTo(x, area.y);
      context.lineTo(x, y1);
    }
    for (let y = origin.y + Math.ceil((area.y - origin.y) / step) * step; y <= y1; y += step) {
      context.moveTo(area.x, y);
      context.lineTo(x1, y);
    }
    context.strokeShape(shape);
  }
}
