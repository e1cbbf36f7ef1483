// A full disk (or quota) stops a batch: every photo after the first that cannot be written would fail the same
// way, each after its inference, and bury the real failures among them. Freeing space and running again resumes.
import { message } from './photo-steps';

/** Errors of a full disk (or quota): the fix is to free space, not to repair the disk. */
export const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/** Whether writing failed for want of space: an errno (a folder that could not be made) or imaging's
 * `disk-full` (the atomic write, the encoder's temporary files). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'disk-full' || (typeof code === 'string' && NO_SPACE.has(code));
}

/** Why the batch stopped when `output` could not be written for want of space. */
export function outputDiskFull(error: unknown, output: string): Error {
  const what = `${output}: the disk of the output photos is full (${message(error, output)})`;
  return new Error(stoppedBecause(what, 'once there is free space on that disk'), { cause: error });
}

/** The reason of a stopped batch. Neutral on how to run it again: the CLI and the app each add their own
 * wording (a command to repeat; a button with the same folders). */
export function stoppedBecause(what: string, when: string): string {
  const kept = 'the photos it finished are kept';
  return `${what}; the batch stopped: ${kept} and, ${when}, running the batch again resumes where it stopped`;
}
