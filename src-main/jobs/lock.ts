// One batch at a time per output folder: `.deblur-batch.lock` holds the owner's pid. A lock left by a killed
// run (its pid no longer alive) is taken over; a live owner makes the second batch refuse to start.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchUsageError } from './types';

export const LOCK_NAME = '.deblur-batch.lock';
/** A lock without a pid yet is being taken by a batch starting now, unless it is older than this. */
const WRITING_PID_MS = 10_000;

/** Takes the lock; returns its release. */
export async function lockOutput(outputRoot: string): Promise<() => Promise<void>> {
  const path = join(outputRoot, LOCK_NAME);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      const starting = !(owner > 0) && (await isFresh(path));
      if ((owner > 0 && isAlive(owner)) || starting) {
        const who = starting ? 'starting' : `pid ${owner}`;
        throw new BatchUsageError(
          `another batch (${who}) is writing into ${outputRoot}: wait for it to finish or cancel it`,
        );
      }
      await rm(path, { force: true }); // left by a run that was killed
    }
  }
}

async function isFresh(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs < WRITING_PID_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
