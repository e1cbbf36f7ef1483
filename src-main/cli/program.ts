// The `deblur` command line: options, their validation, and the parsed settings. Usage errors exit 2.
import { Command, InvalidArgumentError, Option } from 'commander';
import { PHOTO_FORMATS, type BitDepth, type PhotoFormat } from '../imaging';
import { DEVICES, type Device } from '../inference';

export interface CliSettings {
  photos: string[];
  output?: string | undefined;
  mask?: string | undefined;
  model?: string | undefined;
  threshold?: number | undefined;
  strength: number;
  device: Device;
  threads?: number | undefined;
  tile?: number | undefined;
  format?: PhotoFormat | undefined;
  quality?: number | undefined;
  bitDepth?: BitDepth | undefined;
  saveMaps: boolean;
  json: boolean;
}

export const unit = (name: string) => (value: string) => {
  const number = Number(value);
  if (value.trim() === '' || !(number >= 0 && number <= 1)) {
    throw new InvalidArgumentError(`${name} must be a number from 0 to 1.`);
  }
  return number;
};

export const integer =
  (name: string, min: number, max = Infinity) =>
  (value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(
        `${name} must be an integer from ${min}${max < Infinity ? ` to ${max}` : ''}.`,
      );
    }
    return number;
  };

export function buildProgram(): Command {
  return new Command()
    .name('deblur')
    .description('Remove local motion blur from photos with LMD-ViT, headless.')
    .version('0.1.0')
    .argument('<photo...>', 'photos to restore (JPEG, PNG, TIFF, WebP, AVIF)')
    .option(
      '-o, --output <file|dir>',
      'output file (one photo) or folder; default: <name>-deblurred.<ext> next to it',
    )
    .option('--mask <file>', 'mask PNG (>=192 deblur, <=63 protect); default: <photo>.mask.png when present')
    .option('--model <id|dir>', 'model id in models/ or a model folder; default: the installed default model')
    .option('--threshold <t>', "window keep threshold tau in [0,1]; default: the model's", unit('threshold'))
    .option('--strength <s>', 'blend of the restored photo with the input, in [0,1]', unit('strength'), 1)
    .addOption(new Option('--device <device>', 'execution provider').choices(DEVICES).default('auto'))
    .option(
      '--threads <n>',
      'onnxruntime intra-op threads (default: 1 on <= 2 cores, else half)',
      integer('threads', 1),
    )
    .option('--tile <n>', "tile size in pixels, a multiple of the model's input multiple", integer('tile', 1))
    .addOption(
      new Option('--format <format>', 'output format (default: from -o, else the input format)').choices(
        PHOTO_FORMATS,
      ),
    )
    .option('--quality <q>', 'JPEG/WebP/AVIF quality', integer('quality', 1, 100))
    .addOption(
      new Option('--bit-depth <bits>', 'output bit depth (default: the input depth)').choices(['8', '16']),
    )
    .option('--save-maps', 'also write <output>.confidence.png and <output>.decisions.png', false)
    .option('--json', 'print one JSON object per photo on stdout', false)
    .addHelpText(
      'after',
      '\nAlbums: deblur batch <folder|photo...> -o <out> [--recursive] (deblur batch --help)\n' +
        'Blur ranking: deblur scan <folder> [--json] (deblur scan --help)\n' +
        'Models: deblur models import <file.pth> | list | default <id> | remove <id> | show <id>',
    )
    .showHelpAfterError('(run deblur --help for usage)');
}

/** The settings from a parsed program. */
export function settingsOf(program: Command): CliSettings {
  const o = program.opts<Record<string, unknown>>();
  const photos = program.args;
  if (
    o.output !== undefined &&
    photos.length > 1 &&
    /\.\w+$/.test(String(o.output)) &&
    !String(o.output).endsWith('/')
  ) {
    program.error('error: -o names a file but several photos were given; pass a folder instead', {
      exitCode: 2,
    });
  }
  if (o.mask !== undefined && photos.length > 1) {
    program.error('error: --mask applies to one photo; use <photo>.mask.png sidecars for several', {
      exitCode: 2,
    });
  }
  return {
    photos,
    output: o.output as string | undefined,
    mask: o.mask as string | undefined,
    model: o.model as string | undefined,
    threshold: o.threshold as number | undefined,
    strength: o.strength as number,
    device: o.device as Device,
    threads: o.threads as number | undefined,
    tile: o.tile as number | undefined,
    format: o.format as PhotoFormat | undefined,
    quality: o.quality as number | undefined,
    bitDepth: o.bitDepth === undefined ? undefined : (Number(o.bitDepth) as BitDepth),
    saveMaps: o.saveMaps as boolean,
    json: o.json as boolean,
  };
}
