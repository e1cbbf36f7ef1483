import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecentFiles } from '../../src-main/app/recent';
import { loadWindowState, saveWindowState } from '../../src-main/app/window-state';

const folders: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'deblur-app-'));
  folders.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('recent files', () => {
  it('keeps the newest first without duplicates, survives a restart, and lists only files that exist', async () => {
    const dir = await folder();
    const [a, b, c] = ['a.jpg', 'b.jpg', 'c.jpg'].map((name) => join(dir, name));
    await Promise.all([a, b].map((path) => writeFile(path!, '')));
    const store = join(dir, 'state', 'recent.json');
    const recent = new RecentFiles(store, 2);
    await recent.add([a!]);
    await recent.add([b!, c!]);
    await recent.add([b!]);
    expect(new RecentFiles(store, 2).list()).toEqual([b]); // c is newest-but-one yet missing on disk
    await writeFile(store, 'not json');
    expect(new RecentFiles(store).list()).toEqual([]);
  });
});

describe('window state', () => {
  it('restores bounds that still lie on a display, else falls back to the default size', async () => {
    const file = join(await folder(), 'window-state.json');
    const display = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(loadWindowState(file, [display])).toEqual({ bounds: undefined, maximized: false });
    await saveWindowState(file, { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: true });
    expect(loadWindowState(file, [display])).toEqual({
      bounds: { x: 100, y: 80, width: 1200, height: 800 },
      maximized: true,
    });
    // The monitor it was on is gone: off-screen bounds are dropped, maximized kept.
    await saveWindowState(file, { bounds: { x: 3000, y: 80, width: 1200, height: 800 }, maximized: false });
    expect(loadWindowState(file, [display]).bounds).toBeUndefined();
  });
});
