// writeFileAtomic's noClobber on a file system without hard links (FAT, exFAT): link() fails with EPERM there.
import type * as FsPromises from 'node:fs/promises';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../src-main/imaging/atomic-write';
import { tempFolder } from './helpers';

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const link = () =>
    Promise.reject(Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' }));
  return { ...fs, link, default: { ...fs, link } };
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('writeFileAtomic noClobber without hard links', () => {
  it('writes a new file with an exclusive create and still never replaces one', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'out.png');
    await writeFileAtomic(target, bytes('first'), { noClobber: true });
    expect(await readFile(target, 'utf8')).toBe('first');
    expect(await readdir(folder)).toEqual(['out.png']);
    const results = await Promise.allSettled(
      ['a', 'b'].map((text) => writeFileAtomic(join(folder, 'race.png'), bytes(text), { noClobber: true })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    await expect(writeFileAtomic(target, bytes('second'), { noClobber: true })).rejects.toThrow(
      /already exists/,
    );
    expect(await readFile(target, 'utf8')).toBe('first');
    expect((await readdir(folder)).sort()).toEqual(['out.png', 'race.png']);
  });
});
