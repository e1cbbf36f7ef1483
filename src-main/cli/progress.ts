// A tile progress bar on a terminal (stderr), nothing otherwise.
import { SingleBar } from 'cli-progress';
import type { Progress } from '../inference';

export interface ProgressView {
  update(progress: Progress): void;
  stop(): void;
}

export function progressView(label: string, enabled = Boolean(process.stderr.isTTY)): ProgressView {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | tile {value}/{total} | {skipped} skipped | {eta_formatted} left`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(progress) {
      if (!started) bar.start(progress.total, 0, { skipped: 0 });
      started = true;
      bar.update(progress.done, { skipped: progress.skipped });
    },
    stop: () => started && bar.stop(),
  };
}
