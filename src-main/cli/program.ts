// The `deblur` command line: options, their validation, and the parsed settings. Usage errors exit 2.
import { Command } from 'commander';
import { resolve } from 'node:path';
import type { PhotoFormat } from '../imaging';
import { OutputNameError, isFolder, withFormatExtension } from '../restore';
import {
  encodingOptions,
  engineOptions,
  sharedSettingsOf,
  tuningOptions,
  type EncodingSettings,
  type EngineSettings,
  type TuningSettings,
} from './options';

export { integer, unit } from './options';

export interface CliSettings extends EngineSettings, TuningSettings, EncodingSettings {
  photos: string[];
  output?: string | undefined;
  mask?: string | undefined;
  saveMaps: boolean;
  json: boolean;
}

export function buildProgram(): Command {
  const program = new Command()
    .name('deblur')
    .description('Remove local motion blur from photos with LMD-ViT, headless.')
    .version('0.1.0')
    .argument('<photo...>', 'photos to restore (JPEG, PNG, TIFF, WebP, AVIF)')
    .option(
      '-o, --output <file|dir>',
      'output file (one photo) or folder; default: <name>-deblurred.<ext> next to it',
    )
    .option('--mask <file>', 'mask PNG (>=192 deblur, <=63 protect); default: <photo>.mask.png when present');
  encodingOptions(
    tuningOptions(engineOptions(program)),
    'output format (default: from -o, else the input format)',
  );
  return program
    .option('--save-maps', 'also write <output>.confidence.png and <output>.decisions.png', false)
    .option('--json', 'print one JSON object per photo on stdout', false)
    .addHelpText(
      'after',
      '\nAlbums: deblur batch <folder|photo...> -o <out> [--recursive] (deblur batch --help)\n' +
        'Blur ranking: deblur scan <folder> [--json] (deblur scan --help)\n' +
        'Models: deblur models import <file.pth> | list | default <id> | remove <id> | show <id> | verify <id>',
    )
    .showHelpAfterError('(run deblur --help for usage)');
}

/** The settings from a parsed program. */
export function settingsOf(program: Command): CliSettings {
  const o = program.opts<Record<string, unknown>>();
  const photos = program.args;
  const output = o.output === undefined ? undefined : String(o.output);
  const intoFolder = output !== undefined && (isFolder(output) || /[\\/]$/.test(output));
  if (output !== undefined && !intoFolder && photos.length > 1 && /\.\w+$/.test(output)) {
    program.error('error: -o names a file but several photos were given; pass a folder instead', {
      exitCode: 2,
    });
  }
  if (output !== undefined && !intoFolder && photos.length === 1 && o.format !== undefined) {
    // Known from the arguments alone: a usage error, before any photo is read.
    try {
      withFormatExtension(resolve(output), o.format as PhotoFormat);
    } catch (error) {
      if (!(error instanceof OutputNameError)) throw error;
      program.error(`error: ${error.message}`, { exitCode: 2 });
    }
  }
  if (o.mask !== undefined && photos.length > 1) {
    program.error('error: --mask applies to one photo; use <photo>.mask.png sidecars for several', {
      exitCode: 2,
    });
  }
  return {
    ...sharedSettingsOf(o),
    photos,
    output: o.output as string | undefined,
    mask: o.mask as string | undefined,
    saveMaps: o.saveMaps as boolean,
    json: o.json as boolean,
  };
}
