// The brush gesture: the left button paints the selected photo's mask while the brush is on and the Mask panel is
// open (the other panels do not show the mask, so there it pans; Space held, the middle button and the wheel still
// move the view). Screen points become photo points through the viewport.
import type { ViewportState } from '../viewer/viewport.svelte';
import type { MaskDocument } from './document.svelte';
import type { MaskState } from './mask.svelte';
import type { Point } from './raster';

export class BrushGesture {
  /** The photo point under the pointer (for the cursor circle), undefined when it left the viewer. */
  hover = $state<Point | undefined>(undefined);
  private stroke: { pointerId: number; document: MaskDocument } | undefined;

  constructor(
    private readonly mask: MaskState,
    private readonly view: ViewportState,
    /** True while the Mask panel is the active one (the only one that shows the mask). */
    private readonly editing: () => boolean,
  ) {}

  /** The brush owns the left button: it is on, and the mask it paints is shown. */
  get painting(): boolean {
    return this.mask.painting && this.editing();
  }

  /** True when this press paints rather than pans. */
  wants(event: PointerEvent, spaceHeld: boolean): boolean {
    const document = this.mask.current;
    return event.button === 0 && this.painting && !spaceHeld && document !== undefined && !document.loading;
  }

  down(event: PointerEvent): void {
    const document = this.mask.current;
    if (!document) return;
    const frame = event.currentTarget as Element;
    try {
      frame.setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser does not know (synthetic events): painting works without the capture.
    }
    event.preventDefault();
    this.stroke = { pointerId: event.pointerId, document };
    const point = this.point(event, frame);
    this.hover = point;
    document.beginStroke(point, this.mask.tool, this.mask.size, this.mask.hardness);
  }

  move(event: PointerEvent): void {
    const frame = event.currentTarget as Element;
    this.hover = this.point(event, frame);
    if (this.stroke?.pointerId !== event.pointerId) return;
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length ? events : [event]) this.stroke.document.extendStroke(this.point(e, frame));
  }

  up(event: PointerEvent): void {
    if (this.stroke?.pointerId !== event.pointerId) return;
    this.stroke.document.endStroke();
    this.stroke = undefined;
    const frame = event.currentTarget as Element;
    if (frame.hasPointerCapture(event.pointerId)) frame.releasePointerCapture(event.pointerId);
  }

  get active(): boolean {
    return this.stroke !== undefined;
  }

  leave(): void {
    this.hover = undefined;
  }

  private point(event: PointerEvent, frame: Element): Point {
    const rect = frame.getBoundingClientRect();
    return this.view.toPhoto(event.clientX - rect.left, event.clientY - rect.top);
  }
}
