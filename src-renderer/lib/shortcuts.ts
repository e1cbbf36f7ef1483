// Keyboard shortcuts inside the window (menu accelerators cover the rest). One table, shown in tooltips.
import type { MenuCommand } from '../../src-main/contract';

export const SHORTCUTS = {
  open: 'Ctrl+O',
  run: 'Ctrl+Enter',
  preview: 'Ctrl+L or L',
  cancel: 'Esc',
  fit: 'Ctrl+0 or F',
  actual: 'Ctrl+1 or Z',
  zoomIn: 'Ctrl+= or +',
  zoomOut: 'Ctrl+- or -',
  compare: 'Ctrl+D or S',
  original: 'hold O',
  pan: 'Space+drag or middle button',
  next: '→ / ←',
  undo: 'Ctrl+Z',
  redo: 'Ctrl+Shift+Z',
  detect: 'Ctrl+B',
  brush: 'B',
  force: 'D',
  protect: 'P',
  auto: 'E',
  brushSize: '[ / ]',
  hardness: '{ / } (Shift+[ / ])',
  maskVisible: 'M',
  /** Export… (the restored photo, in the format chosen in the export dialog). */
  save: 'Ctrl+Shift+S',
} as const;

/** Single keys without modifiers (those with Ctrl are the menu's accelerators). */
const KEYS: Record<string, MenuCommand> = {
  Escape: 'cancel',
  f: 'view-fit',
  z: 'view-actual',
  '+': 'zoom-in',
  '=': 'zoom-in',
  '-': 'zoom-out',
  s: 'toggle-compare',
  l: 'preview',
  ArrowRight: 'next-photo',
  ArrowLeft: 'previous-photo',
};

/** Ctrl/Cmd accelerators, for the browser (the e2e page has no Electron menu). */
const ACCELERATORS: Record<string, MenuCommand> = {
  o: 'open',
  Enter: 'run',
  '0': 'view-fit',
  '1': 'view-actual',
  '=': 'zoom-in',
  '-': 'zoom-out',
  d: 'toggle-compare',
  z: 'undo',
  y: 'redo',
  b: 'detect',
  l: 'preview',
};

/** The command a key press means, or undefined (typing in a field, or any key in an open dialog, never
 * triggers one; a slider keeps its arrow keys, the rest act as anywhere else). */
export function commandFor(event: KeyboardEvent, inElectron: boolean): MenuCommand | undefined {
  if (isTyping(event.target, OWN_KEYS)) return undefined;
  if (event.key.startsWith('Arrow') && isTyping(event.target, 'input, select')) return undefined;
  if (event.ctrlKey || event.metaKey) {
    if (event.shiftKey && event.key.toLowerCase() === 's') return inElectron ? undefined : 'export';
    if (event.shiftKey && event.key.toLowerCase() === 'z') return inElectron ? undefined : 'redo';
    return inElectron ? undefined : ACCELERATORS[event.key];
  }
  if (event.altKey) return undefined;
  return KEYS[event.key];
}

/** Fields that use plain keys and Ctrl+Z themselves (sliders, checkboxes and buttons do not). */
export const TEXT_FIELDS =
  'input:not([type=range]):not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable]';

/** Where the window's single-key shortcuts stay out: text fields, and a modal dialog (its Esc closes it, and
 * nothing behind it should change). */
export const OWN_KEYS = `${TEXT_FIELDS}, dialog[open]`;

/** True when the key goes to a text field or another control that uses keys itself. */
export function isTyping(
  target: EventTarget | null,
  selector = 'input, textarea, select, [contenteditable]',
): boolean {
  return target instanceof Element && target.closest(selector) !== null;
}
