// The Models tab in Chromium with a stand-in for main's model service (models-fixture.ts, its rules and
// refusals): the list and its default mark, Make default, Remove (asked first; shipped models never offered),
// the model card, "Add model…" (importing, added, already imported, cancelled, refused), main's refusals shown,
// and the model pickers of the Restore and Batch panels following all of it.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { RestoreRequest } from '../../src-main/contract';
import App from '../../src-renderer/App.svelte';
import { photoInfo, scriptedApi } from './mask-fixture';
import { modelRegistry, type StoredModel } from './models-fixture';

const OFFICIAL: StoredModel = {
  id: 'official',
  name: 'Official LMD-ViT',
  manifestDefault: true,
  defaultThreshold: 0.5,
  card: '# Official LMD-ViT\nPruned, trained on the official data.',
};
const DENSE: StoredModel = { id: 'official-dense', name: 'Official (dense)', variant: 'dense' };
const MINE: StoredModel = { id: 'mine', name: 'My fine-tune', defaultThreshold: 0.7, card: '# My fine-tune' };

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  flushSync();
};
const buttons = (scope: ParentNode = document) => [...scope.querySelectorAll('button')];
const button = (name: string, scope: ParentNode = document) =>
  buttons(scope).find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name);
const click = async (name: string, scope: ParentNode = document) => {
  const target = button(name, scope);
  if (!target) throw new Error(`no button "${name}"`);
  target.click();
  await settle();
};
const rows = () => [...document.querySelectorAll('ul[aria-label="Installed models"] > li')];
/** The list as a user reads it: each row's name, source and the buttons it offers, the default marked. */
const listed = () =>
  rows().map((li) => {
    const name = li.querySelector('button.name')?.firstChild?.textContent?.trim();
    const mark = li.querySelector('[aria-label="Default model"]') ? ' [default]' : '';
    const offers = buttons(li)
      .slice(1)
      .map((b) => b.textContent?.trim());
    return `${name} (${li.querySelector('small')?.textContent})${mark}: ${offers.join(', ')}`;
  });
const row = (name: string) => {
  const found = rows().find((li) => li.querySelector('button.name')?.textContent?.trim().startsWith(name));
  if (!found) throw new Error(`no row "${name}"`);
  return found;
};
/** Selects a model (its name in the list) to read its card. */
const select = async (name: string) => {
  row(name).querySelector<HTMLButtonElement>('button.name')!.click();
  await settle();
};
const alert = () => document.querySelector('.panel [role="alert"]')?.textContent?.trim();
const notice = () => document.querySelector('.panel [role="status"]')?.textContent?.trim();
const card = () => document.querySelector('section[aria-label="Model card"]')?.textContent?.trim();
const picker = () => document.querySelector<HTMLSelectElement>('select[aria-label="Model"]')!;
const pick = (id: string) => {
  picker().value = id;
  picker().dispatchEvent(new Event('change', { bubbles: true }));
};
/** The picker as a user sees it: the shown choice, then every option. */
const offered = () => ({
  shown: picker().selectedOptions[0]?.textContent ?? '(nothing)',
  options: [...picker().options].map((option) => option.textContent),
});

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
});

/** The app with one photo open and main's registry holding `shipped` and `imported` models. */
async function open(registry: ReturnType<typeof modelRegistry>) {
  const script = scriptedApi([photoInfo('p1', 40, 30)]);
  const restores: RestoreRequest[] = [];
  const api = {
    ...script.api,
    ...registry.api,
    restore: async (request: RestoreRequest) => {
      restores.push(request);
      return { ok: false as const, error: { code: 'failed' as const, message: 'not scripted' } };
    },
  };
  const target = document.body.appendChild(document.createElement('div'));
  target.style.height = '600px';
  app = mount(App, { target, props: { api } });
  await settle();
  await click('Open…');
  return { restores };
}

describe('Models tab', () => {
  it('lists shipped and imported models with the default marked; Make default moves the mark and the pickers follow', async () => {
    const registry = modelRegistry([OFFICIAL, DENSE], [MINE]);
    await open(registry);
    expect(offered()).toEqual({
      shown: 'Default (Official LMD-ViT)',
      options: ['Default (Official LMD-ViT)', 'Official LMD-ViT', 'My fine-tune'],
    });

    await click('Models');
    // Shipped models are never offered for removal, dense ones never as the default.
    expect(listed()).toEqual([
      'Official LMD-ViT (shipped) [default]: ',
      'Official (dense) (shipped, dense): ',
      'My fine-tune (imported): Make default, Remove',
    ]);

    await click('Make default', row('My fine-tune'));
    expect(registry.calls).toContain('set-default mine');
    expect(registry.state.chosen).toBe('mine');
    expect(listed()).toEqual([
      'Official LMD-ViT (shipped): Make default',
      'Official (dense) (shipped, dense): ',
      'My fine-tune (imported) [default]: Remove',
    ]);
    expect(alert()).toBeUndefined();

    // The Restore panel's picker and threshold follow the new default; so does the Batch panel's picker.
    await click('Restore');
    expect(offered().shown).toBe('Default (My fine-tune)');
    expect(document.querySelector<HTMLInputElement>('input[aria-label="Threshold"]')!.value).toBe('0.7');
    await click('Batch');
    expect(offered().shown).toBe('Default (My fine-tune)');

    // And back: the shipped model is the default again.
    await click('Models');
    await click('Make default', row('Official LMD-ViT'));
    expect(listed()[0]).toBe('Official LMD-ViT (shipped) [default]: ');
    await click('Restore');
    expect(offered().shown).toBe('Default (Official LMD-ViT)');
  });

  it('removes an imported model only once asked and confirmed; the default, card and pickers follow', async () => {
    const registry = modelRegistry([OFFICIAL], [MINE], 'mine');
    const { restores } = await open(registry);
    // The Restore and Batch panels run the imported model by name.
    pick('mine');
    await click('Batch');
    pick('mine');
    await click('Models');
    expect(listed()).toEqual([
      'Official LMD-ViT (shipped): Make default',
      'My fine-tune (imported) [default]: Remove',
    ]);
    await select('My fine-tune');
    expect(card()).toContain('# My fine-tune');

    // Remove asks first (its files are deleted); Keep leaves it installed.
    await click('Remove', row('My fine-tune'));
    expect(row('My fine-tune').textContent).toContain('Remove My fine-tune?');
    await click('Keep', row('My fine-tune'));
    expect(registry.calls.filter((call) => call.startsWith('remove'))).toEqual([]);
    expect(listed()[1]).toBe('My fine-tune (imported) [default]: Remove');

    await click('Remove', row('My fine-tune'));
    await click('Yes, remove', row('My fine-tune'));
    expect(registry.calls.filter((call) => call.startsWith('remove'))).toEqual(['remove mine']);
    // Main dropped the choice with the model: its own default is marked again, and the card is gone.
    expect(listed()).toEqual(['Official LMD-ViT (shipped) [default]: ']);
    expect(card()).toBeUndefined();
    expect(alert()).toBeUndefined();

    // The pickers that held the removed model go back to the default, and a Run asks for no removed model.
    await click('Restore');
    expect(offered()).toEqual({
      shown: 'Default (Official LMD-ViT)',
      options: ['Default (Official LMD-ViT)', 'Official LMD-ViT'],
    });
    await click('Run');
    expect(restores).toHaveLength(1);
    expect(restores[0]!.modelId).toBeUndefined();
    await click('Batch');
    expect(offered().shown).toBe('Default (Official LMD-ViT)');
  });

  it("shows main's refusals in its own words, and the list as main has it after one", async () => {
    const registry = modelRegistry([OFFICIAL, DENSE], [MINE, { id: 'other', name: 'Other' }]);
    await open(registry);
    await click('Models');
    expect(listed()).toHaveLength(4);

    // Removed in a terminal while the app is open: Make default is refused, and the list catches up.
    registry.removedOutside('mine');
    await click('Make default', row('My fine-tune'));
    expect(alert()).toBe('model "mine" not found (installed: official, official-dense, other)');
    expect(listed()).toEqual([
      'Official LMD-ViT (shipped) [default]: ',
      'Official (dense) (shipped, dense): ',
      'Other (imported): Make default, Remove',
    ]);

    // The same for Remove, confirmed.
    registry.removedOutside('other');
    await click('Remove', row('Other'));
    await click('Yes, remove', row('Other'));
    expect(alert()).toBe('model "other" not found (installed: official, official-dense)');
    expect(listed()).toEqual([
      'Official LMD-ViT (shipped) [default]: ',
      'Official (dense) (shipped, dense): ',
    ]);

    // The next action that works clears the message.
    await select('Official LMD-ViT');
    expect(alert()).toBeUndefined();
    expect(card()).toContain('Pruned, trained on the official data.');
  });

  it('"Add model…": importing, added and shown, already imported, cancelled, refused with main\'s reason', async () => {
    const registry = modelRegistry([OFFICIAL], []);
    await open(registry);
    await click('Models');
    expect(listed()).toEqual(['Official LMD-ViT (shipped) [default]: ']);

    // While the worker imports, the button says so and takes no second import.
    registry.holdImport();
    registry.nextImport({ model: MINE, seconds: 12.34 });
    await click('Add model…');
    expect(button('Importing…')?.disabled).toBe(true);
    button('Importing…')!.click();
    await settle();
    expect(registry.calls.filter((call) => call === 'import')).toHaveLength(1);
    registry.finishImport();
    await settle();
    expect(notice()).toBe('Added My fine-tune (12.3 s)');
    expect(button('Add model…')?.disabled).toBe(false);
    expect(listed()).toEqual([
      'Official LMD-ViT (shipped) [default]: ',
      'My fine-tune (imported): Make default, Remove',
    ]);
    expect(row('My fine-tune').classList.contains('selected')).toBe(true);
    expect(card()).toContain('# My fine-tune');

    // The same checkpoint again: nothing new.
    registry.nextImport({ model: MINE, seconds: 1 });
    await click('Add model…');
    expect(notice()).toBe('Already imported as My fine-tune');
    expect(listed()).toHaveLength(2);

    // Dialog cancelled: no notice, nothing changes.
    registry.nextImport('cancel');
    await click('Add model…');
    expect(notice()).toBeUndefined();
    expect(alert()).toBeUndefined();
    expect(listed()).toHaveLength(2);

    // Not a checkpoint: main's reason, the list unchanged, the button usable again.
    registry.nextImport({
      error: {
        code: 'invalid-request',
        message: '/home/me/notes.pth: not a PyTorch checkpoint (the zip holds no <archive>/data.pkl)',
      },
    });
    await click('Add model…');
    expect(alert()).toBe(
      '/home/me/notes.pth: not a PyTorch checkpoint (the zip holds no <archive>/data.pkl)',
    );
    expect(listed()).toHaveLength(2);
    expect(button('Add model…')?.disabled).toBe(false);

    // The imported model is offered by the Restore panel's picker.
    await click('Restore');
    expect(offered().options).toEqual(['Default (Official LMD-ViT)', 'Official LMD-ViT', 'My fine-tune']);

    // A model added and then removed: "Added" no longer stands on screen, the removal is said instead.
    await click('Models');
    registry.nextImport({ model: { id: 'other', name: 'Other' }, seconds: 2 });
    await click('Add model…');
    expect(notice()).toBe('Added Other (2.0 s)');
    await click('Remove', row('Other'));
    await click('Yes, remove', row('Other'));
    expect(notice()).toBe('Removed Other');
    expect(alert()).toBeUndefined();

    // Removed in a terminal, then the list read again (a refused action): its "Added" goes with it.
    registry.nextImport({ model: { id: 'third', name: 'Third' }, seconds: 3 });
    await click('Add model…');
    expect(notice()).toBe('Added Third (3.0 s)');
    registry.removedOutside('third');
    await click('Make default', row('Third'));
    expect(alert()).toBe('model "third" not found (installed: official, mine)');
    expect(listed()).toHaveLength(2);
    expect(notice()).toBeUndefined();
  });
});
