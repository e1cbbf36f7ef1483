// The journal survives a torn last line (a crash mid-append): it is ignored and the next record stands alone.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../../src-main/jobs/journal';
import { tempFolder, tinyDisk } from '../imaging/helpers';

describe('batch journal', () => {
  it('ignores a torn last line and appends after it on a line of its own', async () => {
    const path = join(await tempFolder(), 'journal.jsonl');
    const planned = { t: 'planned', input: '/in/a.jpg', output: '/out/a-deblurred.jpg' };
    await writeFile(path, `${JSON.stringify(planned)}\n{"t":"done","input":"/in/a.jpg","outp`);
    const journal = await Journal.open(path);
    await journal.append({ t: 'failed', input: '/in/b.jpg', reason: 'mask: wrong size' });
    await journal.close();
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
    const { last, outputs } = await readJournal(path);
    expect(last.get('/in/a.jpg')).toEqual(planned);
    expect(last.get('/in/b.jpg')).toMatchObject({ t: 'failed', reason: 'mask: wrong size' });
    expect([...outputs]).toEqual([['/out/a-deblurred.jpg', '/in/a.jpg']]);
    expect((await readJournal(join(path, 'missing'))).last.size).toBe(0);
  });

  it('says clearly when the journal cannot be written (a full disk)', async (context) => {
    const folder = await tempFolder();
    const unmount = tinyDisk(folder);
    if (!unmount) return context.skip('cannot mount a tmpfs here (needs root)');
    try {
      const journal = await Journal.open(join(folder, 'journal.jsonl'));
      await journal.append({ t: 'planned', input: '/in/a.jpg', output: '/out/a-deblurred.jpg' });
      await writeFile(join(folder, 'filler'), new Uint8Array(1 << 20)).catch(() => undefined);
      const error = await journal
        .append({ t: 'failed', input: '/in/b.jpg', reason: 'x'.repeat(8192) })
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(
        /journal\.jsonl: the batch journal cannot be written \(ENOSPC/,
      );
      expect((error as Error).message).toMatch(/running the batch again resumes where it stopped$/);
      expect((error as Error).message).not.toMatch(/command/);
      await journal.close();
    } finally {
      unmount();
    }
  });
});
