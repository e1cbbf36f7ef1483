// The mask editor's single-key shortcuts (shown in tooltips through SHORTCUTS in lib/shortcuts.ts). Undo, redo
// and detect are menu commands (AppState.command), not here.
import { OWN_KEYS, isTyping } from '../../lib/shortcuts';
import type { MaskState } from './mask.svelte';

const HARDNESS_STEP = 0.1;

const KEYS: Record<string, (mask: MaskState) => void> = {
  b: (mask) => (mask.painting = !mask.painting),
  d: (mask) => mask.setTool('force'),
  p: (mask) => mask.setTool('protect'),
  e: (mask) => mask.setTool('auto'),
  '[': (mask) => mask.shrink(),
  ']': (mask) => mask.grow(),
  '{': (mask) => mask.setHardness(mask.hardness - HARDNESS_STEP),
  '}': (mask) => mask.setHardness(mask.hardness + HARDNESS_STEP),
  m: (mask) => (mask.visible = !mask.visible),
};

/** Acts on a mask key; true when the key was one (the caller then stops there). */
export function maskKey(event: KeyboardEvent, mask: MaskState): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target, OWN_KEYS)) return false;
  const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
  if (!action) return false;
  event.preventDefault();
  action(mask);
  return true;
}
