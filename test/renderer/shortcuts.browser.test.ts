// Where the window's single-key shortcuts act: not in text fields, not behind an open dialog, and on a slider
// everything but its own arrow keys.
import { afterEach, describe, expect, it } from 'vitest';
import { commandFor } from '../../src-renderer/lib/shortcuts';

afterEach(() => {
  document.body.innerHTML = '';
});

/** The command a plain key pressed on `target` means (dispatched, so the event's target is real). */
function commandOn(target: Element, key: string): ReturnType<typeof commandFor> {
  let command: ReturnType<typeof commandFor> | 'none' = 'none';
  const listen = (event: KeyboardEvent) => (command = commandFor(event, true));
  window.addEventListener('keydown', listen, { once: true });
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  window.removeEventListener('keydown', listen);
  expect(command).not.toBe('none');
  return command === 'none' ? undefined : command;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, parent: Element = document.body) {
  return parent.appendChild(document.createElement(tag));
}

describe('window shortcuts', () => {
  it('act on a focused button or slider, except the slider keeps its arrows', () => {
    const button = element('button');
    const slider = Object.assign(element('input'), { type: 'range' });
    expect(commandOn(button, 'Escape')).toBe('cancel');
    expect(commandOn(slider, 'Escape')).toBe('cancel'); // a dragged Strength slider used to swallow Esc
    expect(commandOn(slider, 'f')).toBe('view-fit');
    expect(commandOn(slider, 'ArrowRight')).toBeUndefined();
    expect(commandOn(button, 'ArrowRight')).toBe('next-photo');
  });

  it('stay out of text fields and of an open dialog (its Esc only closes it)', () => {
    const text = element('input');
    expect(commandOn(text, 'f')).toBeUndefined();
    const dialog = element('dialog');
    const inside = element('button', dialog);
    dialog.showModal();
    expect(commandOn(inside, 'Escape')).toBeUndefined();
    expect(commandOn(inside, 'ArrowLeft')).toBeUndefined();
    expect(commandOn(inside, 'l')).toBeUndefined();
    dialog.close();
    expect(commandOn(inside, 'l')).toBe('preview');
  });
});
