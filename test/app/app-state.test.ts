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
  it('keeps the newest first without duplicates up to its limit, survives a restart, and lists only files that exist', async () => {
    const dir = await folder();
    const [a, b, c, d, e, gone] = ['a', 'b', 'c', 'd', 'e', 'gone'].map((name) =>
      join(dir, `${name}.jpg`),
    ) as [string, string, string, string, string, string];
    await Promise.all([a, b, c, d, e].map((path) => writeFile(path, '')));
    const store = join(dir, 'state', 'recent.json');
    const recent = new RecentFiles(store, 4);
    await recent.add([a]);
    await recent.add([b, c]); // one open of two files: the last one counts as the newest
    await recent.add([a]); // opened again: moves to the front, not listed twice
    expect(recent.list()).toEqual([a, c, b]);
    expect(new RecentFiles(store, 4).list()).toEqual([a, c, b]);
    await recent.add([d, e]);
    expect(recent.list()).toEqual([e, d, a, c]); // b, the oldest, fell off
    expect(new RecentFiles(store, 4).list()).toEqual([e, d, a, c]);
    await recent.add([gone]);
    expect(new RecentFiles(store, 4).list()).toEqual([e, d, a]); // gone is newest but missing on disk
    await writeFile(store, 'not json');
    expect(new RecentFiles(store).list()).toEqual([]);
  });
});

describe('window state', () => {
  it('restores bounds that still lie on a display, else drops them (default size) and keeps maximized', async () => {
    const file = join(await folder(), 'window-state.json');
    const display = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(loadWindowState(file, [display])).toEqual({ bounds: undefined, maximized: false });
    await saveWindowState(file, { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: true });
    expect(loadWindowState(file, [display])).toEqual({
      bounds: { x: 100, y: 80, width: 1200, height: 800 },
      maximized: true,
    });
    // The monitor it was on is gone: off-screen bounds are dropped, maximized kept.
    await saveWindowState(file, { bounds: { x: 3000, y: 80, width: 1200, height: 800 }, maximized: true });
    expect(loadWindowState(file, [display])).toEqual({ bounds: undefined, maximized: true });
    await saveWindowState(file, { bounds: { x: 3000, y: 80, width: 1200, height: 800 }, maximized: false });
    expect(loadWindowState(file, [display])).toEqual({ bounds: undefined, maximized: false });
  });
});
