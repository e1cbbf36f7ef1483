// `deblur batch` and `deblur scan` as users run them: node src-main/cli/deblur.js batch ...
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import { BIN, deblur } from './helpers';
import { checksums, hugePng, listFiles, makeAlbum, makePhotos } from '../jobs/helpers';

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('deblur batch', () => {
  // Two runs of 10 photos: on a loaded 2-core machine this passes the default 60 s, hence 180 s.
  it('survives kill -9 mid-run: the same command resumes, every output once, no temp file, originals intact', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'album');
    const names = await makePhotos(input, 10, { width: 256, height: 192 });
    const before = await checksums(input);
    const out = join(folder, 'out');
    const args = [BIN, 'batch', input, '-o', out, '--model', FIXTURE_DIR, '--json'];

    // Kill the process (SIGKILL: no cleanup) as soon as it reports its first finished photo.
    const killed = await new Promise<{ signal: NodeJS.Signals | null; seen: string }>((done) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let seen = '';
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('"type":"photo"')) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => done({ signal, seen }));
    });
    expect(killed.signal).toBe('SIGKILL');
    const partial = (await listFiles(out)).filter((f) => f.endsWith('-deblurred.jpg'));
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(partial.length).toBeLessThan(names.length);

    const run = await deblur(...args.slice(1));
    expect(run.code, run.stderr).toBe(0);
    const summary = lines(run.stdout).at(-1);
    expect(summary).toMatchObject({ type: 'summary', cancelled: false });
    expect(summary.counts.resumed).toBeGreaterThanOrEqual(1);
    expect(summary.counts.resumed + summary.counts.done).toBe(names.length);
    expect(summary.counts.failed).toBe(0);

    const files = (await listFiles(out)).map((file) => file.slice(out.length + 1));
    const expected = names.map((name) => name.replace('.jpg', '-deblurred.jpg'));
    expect(files.filter((f) => !f.includes('deblur-batch'))).toEqual(expected);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await checksums(input)).toEqual(before);
    // Every output matches the checksum its journal line recorded.
    const journal = (await readFile(join(out, '.deblur-batch.journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('{"t":"done"'))
      .map((line) => JSON.parse(line) as { output: string; sha256: string });
    expect(new Set(journal.map((entry) => entry.output)).size).toBe(names.length);
    for (const entry of journal) {
      const sha = createHash('sha256')
        .update(await readFile(entry.output))
        .digest('hex');
      expect(sha).toBe(entry.sha256);
    }
  }, 180_000);

  it('finishes an album with junk files with exit 0, a summary and a report file', async () => {
    const folder = await tempFolder();
    const album = await makeAlbum(join(folder, 'album'));
    const out = join(folder, 'out');
    const run = await deblur('batch', album.root, '-o', out, '--recursive', '--model', FIXTURE_DIR);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/4 done, 0 resumed, 4 skipped, 0 failed/);
    expect(run.stderr).toMatch(/skipped .*broken\.jpg: the image is damaged or truncated/);
    expect(run.stderr).toMatch(/most blur found/);
    const report = JSON.parse(await readFile(join(out, 'deblur-batch-report.json'), 'utf8'));
    expect(report.counts).toMatchObject({ done: 4, skipped: 4, failed: 0 });
    expect(report.ranking).toHaveLength(4);
    const csv = await readFile(join(out, 'deblur-batch-report.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('input,status,output,reason,mean_confidence,kept_ratio,seconds');

    const scan = await deblur('scan', album.root, '-r', '--json', '--size', '128', '--model', FIXTURE_DIR);
    expect(scan.code, scan.stderr).toBe(0);
    const result = JSON.parse(scan.stdout);
    expect(result.ranking).toHaveLength(4);
    expect(result.ranking[0].meanConfidence).toBeGreaterThanOrEqual(result.ranking[3].meanConfidence);
  });

  it('exits 1 when a photo is not restored (over the pixel limit) and lists it as failed with its reason', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'album');
    await makePhotos(input, 1);
    const huge = await hugePng(join(input, 'huge.png'), 20000, 15000);
    const run = await deblur('batch', input, '-o', join(folder, 'out'), '--model', FIXTURE_DIR);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/1 done, 0 resumed, 0 skipped, 1 failed/);
    expect(run.stderr).toContain(`failed ${huge}: 20000x15000 (300.0 MP) is over the 268.4 MP limit`);
  });

  it('scan exits 1 when a photo cannot be read (over the pixel limit) and lists it as failed, in text and JSON', async () => {
    const folder = await tempFolder();
    await makePhotos(folder, 1);
    const huge = await hugePng(join(folder, 'huge.png'), 20000, 15000);
    const reason = '20000x15000 (300.0 MP) is over the 268.4 MP limit';
    const text = await deblur('scan', folder, '--size', '64', '--model', FIXTURE_DIR);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout.trim().split('\n')).toHaveLength(2); // the header and the one photo measured
    expect(text.stderr).toContain(`failed ${huge}: ${reason}`);
    expect(text.stderr).not.toContain('skipped');
    const json = await deblur('scan', folder, '--size', '64', '--json', '--model', FIXTURE_DIR);
    expect(json.code, json.stderr).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ failures: [{ input: huge, reason }], skipped: [] });
  });

  it('exits 2 on usage errors and on any request that would overwrite an original', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 1);
    const before = await checksums(input);
    const model = ['--model', FIXTURE_DIR];
    expect((await deblur('batch', input, ...model)).code).toBe(2); // no -o
    expect(
      (await deblur('batch', input, '-o', join(folder, 'o'), '--on-existing', 'replace', ...model)).code,
    ).toBe(2);
    const fixed = await deblur('batch', input, '-o', join(folder, 'o'), '--name', 'same', ...model);
    expect(fixed).toMatchObject({ code: 2 });
    expect(fixed.stderr).toMatch(/must contain \{name\}/);
    const self = await deblur('batch', input, '-o', input, '--name', '{name}', ...model);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/would overwrite this original/);
    expect((await deblur('batch', join(folder, 'missing'), '-o', join(folder, 'o'), ...model)).code).toBe(2);
    expect(await checksums(input)).toEqual(before);
    const help = await deblur('batch', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--on-existing/);
    expect((await deblur('--help')).stdout).toMatch(/deblur batch/);
  });
});
