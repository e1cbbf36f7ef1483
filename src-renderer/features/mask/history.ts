// Undo and redo for one mask: each step keeps only the rectangle it changed, before and after, run-length coded
// (runs.ts). A step costs memory in proportion to what it changed, never a full-size snapshot, and undo or redo
// writes back just that rectangle. The oldest steps go when the history passes its step or byte budget.
import { decode, sizeOf, type Runs } from './runs';
import type { Rect } from './rect';

export interface Step {
  id: number;
  label: string;
  before: Runs;
  after: Runs;
}

const MAX_STEPS = 200;
const MAX_BYTES = 256 * 1024 * 1024;

let nextId = 1;

export class MaskHistory {
  private steps: Step[] = [];
  /** Steps applied: steps[0..cursor) are done, the rest can be redone. */
  private cursor = 0;
  /** The id of the state with no step applied (0, or the newest step dropped for the budget). */
  private baseId = 0;

  get canUndo(): boolean {
    return this.cursor > 0;
  }

  get canRedo(): boolean {
    return this.cursor < this.steps.length;
  }

  get undoLabel(): string | undefined {
    return this.steps[this.cursor - 1]?.label;
  }

  get redoLabel(): string | undefined {
    return this.steps[this.cursor]?.label;
  }

  /** Names the current state: equal ids mean equal masks (the unsaved marker compares them). */
  get stateId(): number {
    return this.cursor > 0 ? this.steps[this.cursor - 1]!.id : this.baseId;
  }

  /** Adds a step after the current one; anything that could be redone is gone. */
  push(label: string, before: Runs, after: Runs): void {
    this.steps.splice(this.cursor);
    this.steps.push({ id: nextId++, label, before, after });
    this.cursor = this.steps.length;
    let bytes = this.steps.reduce((sum, s) => sum + sizeOf(s.before) + sizeOf(s.after), 0);
    while (this.steps.length > 1 && (this.steps.length > MAX_STEPS || bytes > MAX_BYTES)) {
      const dropped = this.steps.shift()!;
      bytes -= sizeOf(dropped.before) + sizeOf(dropped.after);
      this.baseId = dropped.id;
      this.cursor--;
    }
  }

  /** Undoes one step on `data`; returns the rectangle it rewrote. */
  undo(data: Uint8Array, width: number): Rect | undefined {
    if (!this.canUndo) return undefined;
    const step = this.steps[--this.cursor]!;
    decode(data, width, step.before);
    return step.before.rect;
  }

  redo(data: Uint8Array, width: number): Rect | undefined {
    if (!this.canRedo) return undefined;
    const step = this.steps[this.cursor++]!;
    decode(data, width, step.after);
    return step.after.rect;
  }

  /** Starts over from the current mask (a sidecar was loaded: it is the new base, not a step). */
  reset(): void {
    this.steps = [];
    this.cursor = 0;
    this.baseId = nextId++;
  }
}
