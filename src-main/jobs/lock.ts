// One batch at a time per output folder: `.deblur-batch.lock` holds the owner's pid. A lock left by a killed
// run (its pid no longer alive) is taken over; a live owner makes the second batch refuse to start.
import { randomUUID } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchUsageError } from './types';

export const LOCK_NAME = '.deblur-batch.lock';
/** A lock without a pid yet is being taken by a batch starting now, unless it is older than this. */
const WRITING_PID_MS = 10_000;
/** Takeovers lost to other batches before giving up (each loss means another batch holds the lock now). */
const ATTEMPTS = 5;

/** Locks this process holds. A lock naming this process's pid that is not among them was left by an earlier
 * process with the same pid (pids are reused; in a fresh container the same one often comes back). */
const held = new Set<string>();

/** Takes the lock; returns its release. */
export async function lockOutput(outputRoot: string): Promise<() => Promise<void>> {
  const path = join(outputRoot, LOCK_NAME);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const handle = await open(path, 'wx');
      held.add(path); // before the pid is written: a takeover in this process must see it as live meanwhile
      try {
        await handle.writeFile(String(process.pid));
      } catch (error) {
        held.delete(path); // a full disk: no lock is left behind
        await handle.close();
        await rm(path, { force: true });
        throw error;
      }
      await handle.close();
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const lock = await readLock(path);
    if (!lock) continue; // released meanwhile
    const who = holder(path, lock);
    if (who) {
      throw new BatchUsageError(
        `another batch (${who}) is writing into ${outputRoot}: wait for it to finish or cancel it`,
      );
    }
    await takeOver(path); // left by a run that was killed
  }
  throw new BatchUsageError(`another batch took the lock in ${outputRoot} first: wait for it to finish`);
}

type Lock = NonNullable<Awaited<ReturnType<typeof readLock>>>;

/** Who holds a lock ('pid 123', or 'starting' while its pid is being written); undefined when it is dead. */
function holder(path: string, lock: Lock): string | undefined {
  const owner = Number(lock.text.trim());
  if (!(owner > 0)) return Date.now() - lock.mtimeMs < WRITING_PID_MS ? 'starting' : undefined;
  const live = owner === process.pid ? held.has(path) : isAlive(owner);
  return live ? `pid ${owner}` : undefined;
}

/** The lock's text and age, both read from one open file (it may be replaced between two paths). */
async function readLock(path: string) {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { mtimeMs } = await handle.stat();
    return { text: await handle.readFile('utf8'), mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * Moves a dead lock aside instead of deleting it by name: when two batches take over at once, the later one
 * would otherwise delete the lock the first has just made. What it moved is judged again, by its content (a new
 * lock often gets the dead one's inode back), and put back if it is live. Exported for tests.
 */
export async function takeOver(path: string): Promise<void> {
  const aside = `${path}.${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another batch moved it first
    throw error;
  }
  const moved = await readLock(aside);
  if (moved && holder(path, moved)) await link(aside, path).catch(() => undefined); // a live lock: restore it
  await rm(aside, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
