// The studio's photo library: what it opens and what it skips, with the reason.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhotoLibrary } from '../../src-main/studio/library';
import { CAN_DENY_READS, asNobody, lockedPhoto, makePhoto, tempFolder } from '../imaging/helpers';

describe('photo library', () => {
  it('opens photo files and skips what is not one, saying why (a pipe is never read)', async () => {
    const folder = await tempFolder();
    const photo = await makePhoto(folder, 'photo.jpg');
    await mkdir(join(folder, 'album.png'));
    const paths = [
      photo,
      join(folder, 'album.png'),
      'relative.jpg',
      join(folder, 'notes.txt'),
      join(folder, 'DSC_0001.NEF'),
    ];
    if (process.platform === 'linux') {
      execFileSync('mkfifo', [join(folder, 'pipe.jpg')]);
      paths.push(join(folder, 'pipe.jpg'));
    }
    paths.push(join(folder, 'missing.jpg'));
    const { photos, skipped } = await new PhotoLibrary().add(paths);
    expect(photos.map((p) => p.path)).toEqual([photo]);
    expect(Object.fromEntries(skipped.map((s) => [s.name, s.reason]))).toMatchObject({
      'album.png': 'not a file',
      'relative.jpg': 'not an absolute path',
      'notes.txt': expect.stringMatching(/^not a photo/),
      'DSC_0001.NEF': expect.stringMatching(/^camera raw files are not supported: export the photo/),
      ...(process.platform === 'linux' ? { 'pipe.jpg': 'not a file' } : {}),
      'missing.jpg': expect.stringMatching(/file not found/),
    });
  });

  it('skips a photo we may not read as permission denied, not as "not an image format"', async (context) => {
    if (!CAN_DENY_READS) return context.skip('cannot change the effective user here');
    const path = await lockedPhoto(await tempFolder(), 'locked.jpg');
    const { photos, skipped } = await asNobody(() => new PhotoLibrary().add([path]));
    expect(photos).toEqual([]);
    expect(skipped).toEqual([
      { name: 'locked.jpg', reason: `${path}: permission denied: it cannot be read (EACCES)` },
    ]);
  });
});
