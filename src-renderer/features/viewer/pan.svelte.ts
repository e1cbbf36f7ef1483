// Panning the view: with the middle button, with Space held and the left button, or the left button alone while
// the mask brush is off (Viewer.svelte gives the press to the brush when it wants it: features/mask/brush.svelte.ts).
import { OWN_KEYS, isTyping } from '../../lib/shortcuts';
import type { ViewportState } from './viewport.svelte';

export class PanGesture {
  active = $state(false);
  private space = false;
  /** The pointer is over the viewer. */
  private over = false;
  private last: { x: number; y: number } | undefined;

  constructor(private readonly view: ViewportState) {}

  /**
   * Space held pans. With the pointer over the viewer it does so even while a panel control has the focus (the
   * last button clicked keeps it), and that control does not get the Space; elsewhere a focused control keeps
   * Space for itself (keyboard use). Text fields and an open dialog always keep it.
   */
  key(event: KeyboardEvent, down: boolean): void {
    if (event.code !== 'Space' || isTyping(event.target, OWN_KEYS)) return;
    if (!down) {
      if (this.space) event.preventDefault();
      this.space = false;
      return;
    }
    if (!this.over && isTyping(event.target, 'button, input, select')) return;
    this.space = true;
    event.preventDefault();
  }

  /** pointerenter / pointerleave of the viewer. */
  hover(over: boolean): void {
    this.over = over;
  }

  down(event: PointerEvent): void {
    if (event.button !== 1 && event.button !== 0) return;
    this.active = true;
    this.last = { x: event.clientX, y: event.clientY };
    try {
      (event.currentTarget as Element).setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser does not know (synthetic events): panning works without the capture.
    }
    event.preventDefault();
  }

  move(event: PointerEvent): void {
    if (!this.active || !this.last) return;
    this.view.panBy(event.clientX - this.last.x, event.clientY - this.last.y);
    this.last = { x: event.clientX, y: event.clientY };
  }

  up(event: PointerEvent): void {
    if (!this.active) return;
    this.active = false;
    this.last = undefined;
    const target = event.currentTarget as Element;
    if (target.hasPointerCapture(event.pointerId)) target.releasePointerCapture(event.pointerId);
  }

  /** Space held: the brush yields the left button to panning. */
  get spaceHeld(): boolean {
    return this.space;
  }
}
