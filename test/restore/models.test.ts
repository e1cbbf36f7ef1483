import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputNameError, defaultModelDir, outputTarget, resolveModelDir } from '../../src-main/restore';
import { FIXTURE_DIR, installFixture as install, tempFolder } from '../inference/helpers';

describe('model resolution', () => {
  it('asks for --model while no model is installed', async () => {
    const root = await tempFolder();
    const roots = { shipped: root, user: join(root, 'user') }; // no imported models either
    expect(() => resolveModelDir(undefined, roots)).toThrow(/no model is installed .* pass --model/);
    expect(() => resolveModelDir('nope', roots)).toThrow(/model "nope" not found/);
  });

  it('takes a folder, an id under models/, or the default model (never a dense variant)', async () => {
    const root = await tempFolder();
    const roots = { shipped: root, user: join(root, 'user') };
    await mkdir(join(root, 'empty'));
    const dense = await install(root, 'a-dense', {
      variant: 'dense',
      inputs: ['image'],
      outputs: ['restored'],
    });
    const pruned = await install(root, 'b-pruned');
    expect(defaultModelDir(root)).toBe(pruned);
    expect(resolveModelDir(undefined, roots)).toBe(pruned);
    expect(resolveModelDir('a-dense', roots)).toBe(dense);
    expect(resolveModelDir(FIXTURE_DIR, roots)).toBe(FIXTURE_DIR);
    const chosen = await install(root, 'c-chosen', { default: true });
    expect(defaultModelDir(root)).toBe(chosen);
  });
});

describe('output names', () => {
  it('defaults to <name>-deblurred.<ext> next to the input', () => {
    expect(outputTarget('/p/IMG_1.JPG', 'jpeg', {})).toEqual({
      path: '/p/IMG_1-deblurred.JPG',
      format: 'jpeg',
    });
    expect(outputTarget('/p/a.jpg', 'jpeg', { format: 'png' })).toEqual({
      path: '/p/a-deblurred.png',
      format: 'png',
    });
    expect(outputTarget('/p/a.jpg', 'jpeg', { output: '/q/b.tiff' })).toEqual({
      path: '/q/b.tiff',
      format: 'tiff',
    });
    expect(outputTarget('/p/a.jpg', 'jpeg', { output: '/q', manyInputs: true }).path).toBe(
      '/q/a-deblurred.jpg',
    );
  });

  it("a named output file gets its format's extension, and another format's is refused", () => {
    expect(outputTarget('/p/a.jpg', 'jpeg', { output: '/q/result' })).toEqual({
      path: '/q/result.jpg',
      format: 'jpeg',
    });
    expect(outputTarget('/p/a.png', 'png', { output: '/q/a.heic' }).path).toBe('/q/a.heic.png');
    expect(outputTarget('/p/a.jpg', 'jpeg', { output: '/q/b.TIF', format: 'tiff' }).path).toBe('/q/b.TIF');
    expect(() => outputTarget('/p/a.jpg', 'jpeg', { output: '/q/out.png', format: 'jpeg' })).toThrow(
      OutputNameError,
    );
    expect(() => outputTarget('/p/a.jpg', 'jpeg', { output: '/q/out.png', format: 'jpeg' })).toThrow(
      'out.png ends in .png, which is not JPEG',
    );
  });
});
