// The quick blur scan on real files with the fixture model: photos it cannot read fail as the batch's do,
// junk (non-images, empty or truncated files) stays skipped.
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../src-main/inference';
import { scanAlbum } from '../../src-main/jobs';
import { CAN_DENY_READS, asNobody, lockedPhoto, tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import { hugePng, makeAlbum, makePhotos } from './helpers';

const engine = new InferenceEngine();
afterAll(() => engine.close());

const scan = (inputs: string[]) =>
  scanAlbum(engine, { inputs, recursive: true, modelDir: FIXTURE_DIR, size: 64 });

describe('blur scan', () => {
  it('fails a photo over the pixel limit with its reason; junk stays skipped', async () => {
    const album = await makeAlbum(join(await tempFolder(), 'album'));
    const huge = await hugePng(join(album.root, 'huge.png'), 20000, 15000); // 300 MP, over sharp's 268 MP
    const result = await scan([album.root]);
    expect(result.ranking).toHaveLength(album.photos.length);
    expect(result.failures).toEqual([
      { input: huge, reason: '20000x15000 (300.0 MP) is over the 268.4 MP limit' },
    ]);
    const skipped = result.skipped.map((s) => basename(s.input)).sort();
    expect(skipped).toEqual(album.junk.map((f) => basename(f)).sort());
  });

  it('fails a photo we may not read as permission denied, not skipped as "not an image format"', async (context) => {
    if (!CAN_DENY_READS) return context.skip('cannot change the effective user here');
    const folder = await tempFolder();
    await makePhotos(folder, 1);
    const locked = await lockedPhoto(folder, 'locked.jpg');
    const result = await asNobody(() => scan([folder]));
    expect(result.ranking).toHaveLength(1);
    expect(result.failures).toEqual([
      { input: locked, reason: 'permission denied: it cannot be read (EACCES)' },
    ]);
    expect(result.skipped).toEqual([]);
  });
});
