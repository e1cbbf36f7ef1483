// The recent-files list: newest first, no duplicates, at most `limit`, kept as JSON in the app's data folder.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class RecentFiles {
  private paths: string[];

  constructor(
    private readonly file: string,
    private readonly limit = 10,
  ) {
    this.paths = readJson(file)
      .filter((p): p is string => typeof p === 'string')
      .slice(0, limit);
  }

  list(): string[] {
    return this.paths.filter((path) => existsSync(path));
  }

  async add(paths: readonly string[]): Promise<void> {
    this.paths = [...[...paths].reverse(), ...this.paths.filter((p) => !paths.includes(p))].slice(
      0,
      this.limit,
    );
    await this.save();
  }

  async clear(): Promise<void> {
    this.paths = [];
    await this.save();
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, JSON.stringify(this.paths, null, 1) + '\n');
  }
}

function readJson(file: string): unknown[] {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
