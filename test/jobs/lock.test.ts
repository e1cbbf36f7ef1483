// The output folder's lock on real files: a live owner, a dead one, and a lock whose pid is not written yet.
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchUsageError } from '../../src-main/jobs';
import { LOCK_NAME, lockOutput, takeOver } from '../../src-main/jobs/lock';
import { tempFolder } from '../imaging/helpers';

describe('batch lock', () => {
  it('refuses a live owner and a lock being taken right now; takes over a dead or long-empty one', async () => {
    const folder = await tempFolder();
    const path = join(folder, LOCK_NAME);
    await writeFile(path, String(process.ppid)); // a live process
    await expect(lockOutput(folder)).rejects.toThrow(`another batch (pid ${process.ppid}) is writing`);
    await writeFile(path, ''); // created by a batch that has not written its pid yet
    await expect(lockOutput(folder)).rejects.toBeInstanceOf(BatchUsageError);
    await expect(lockOutput(folder)).rejects.toThrow('another batch (starting)');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path, hourAgo, hourAgo); // left empty by a run killed at that moment
    const release = await lockOutput(folder);
    expect(await readFile(path, 'utf8')).toBe(String(process.pid));
    await release();
    await writeFile(path, '999999999'); // no such process
    await (
      await lockOutput(folder)
    )();
  });

  it("a lock naming this process's pid: refused while this process holds it, else left by an earlier one", async () => {
    const folder = await tempFolder();
    const path = join(folder, LOCK_NAME);
    const release = await lockOutput(folder);
    await expect(lockOutput(folder)).rejects.toThrow(`another batch (pid ${process.pid}) is writing`);
    await release();
    // Killed, then run again in a fresh container where this process got the same pid.
    await writeFile(path, String(process.pid));
    await (
      await lockOutput(folder)
    )();
  });

  it("a takeover that lost the race puts back the winner's new lock, even on the dead lock's inode", async () => {
    const folder = await tempFolder();
    const path = join(folder, LOCK_NAME);
    await writeFile(path, '999999999'); // left by a killed run; two batches find it dead
    const deadIno = (await stat(path)).ino;
    // The first takes over and writes its own lock; the file system often hands it the dead lock's inode.
    await rm(path);
    await writeFile(path, String(process.ppid));
    const sameInode = (await stat(path)).ino === deadIno;
    // Then the second moves aside what it takes for the dead lock: it must put the live one back.
    await takeOver(path);
    expect(await readFile(path, 'utf8'), `same inode: ${sameInode}`).toBe(String(process.ppid));
    await expect(lockOutput(folder)).rejects.toThrow(`another batch (pid ${process.ppid}) is writing`);
  });

  it('two batches taking over the same dead lock at once: exactly one wins, the other is told why', async () => {
    const folder = await tempFolder();
    const path = join(folder, LOCK_NAME);
    for (let round = 0; round < 30; round++) {
      await writeFile(path, '999999999'); // left by a killed run
      const results = await Promise.allSettled([lockOutput(folder), lockOutput(folder)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(BatchUsageError);
      await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
    }
  });
});
