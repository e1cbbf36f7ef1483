// Window bounds and maximized state kept between runs; restored only when they still fit a display.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect | undefined;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };
const MIN = { width: 640, height: 420 };

export function loadWindowState(file: string, displays: readonly Rect[]): WindowState {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    const b = saved.bounds;
    const valid =
      b !== undefined &&
      [b.x, b.y, b.width, b.height].every(Number.isFinite) &&
      b.width >= MIN.width &&
      b.height >= MIN.height &&
      displays.some((d) => overlaps(b, d));
    return { bounds: valid ? b : undefined, maximized: saved.maximized === true };
  } catch {
    return { bounds: undefined, maximized: false };
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(state) + '\n');
}

/** At least 100 x 50 px of the window's title area lies on the display. */
function overlaps(w: Rect, d: Rect): boolean {
  const width = Math.min(w.x + w.width, d.x + d.width) - Math.max(w.x, d.x);
  const height = Math.min(w.y + 50, d.y + d.height) - Math.max(w.y, d.y);
  return width >= 100 && height >= 50;
}
