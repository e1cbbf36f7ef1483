// Options every `deblur` command shares (the engine, the restore tuning, the output encoding), declared once,
// with their validators. Usage errors exit 2.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PHOTO_FORMATS, type BitDepth, type PhotoFormat } from '../imaging';
import { DEVICES, type Device } from '../inference';

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

/** --model, --device, --threads. */
export function engineOptions(command: Command): Command {
  return command
    .option(
      '--model <id|dir>',
      'model id (shipped in models/ or imported: deblur models list) or a model folder; ' +
        'default: the default model (deblur models default <id>)',
    )
    .addOption(new Option('--device <device>', 'execution provider').choices(DEVICES).default('auto'))
    .option(
      '--threads <n>',
      'onnxruntime intra-op threads (default: 1 on <= 2 cores, else half)',
      integer('threads', 1),
    );
}

/** --threshold, --strength, --tile. */
export function tuningOptions(command: Command): Command {
  return command
    .option('--threshold <t>', "window keep threshold tau in [0,1]; default: the model's", unit('threshold'))
    .option('--strength <s>', 'blend of the restored photo with the input, in [0,1]', unit('strength'), 1)
    .option(
      '--tile <n>',
      "tile size in pixels, a multiple of the model's input multiple",
      integer('tile', 1),
    );
}

/** --format, --quality, --bit-depth; `formatHelp` says what the default format is. */
export function encodingOptions(command: Command, formatHelp: string): Command {
  return command
    .addOption(new Option('--format <format>', formatHelp).choices(PHOTO_FORMATS))
    .option('--quality <q>', 'JPEG/WebP/AVIF quality', integer('quality', 1, 100))
    .addOption(
      new Option('--bit-depth <bits>', 'output bit depth (default: the input depth)').choices(['8', '16']),
    );
}

export interface EngineSettings {
  model?: string | undefined;
  device: Device;
  threads?: number | undefined;
}

export interface TuningSettings {
  threshold?: number | undefined;
  strength: number;
  tile?: number | undefined;
}

export interface EncodingSettings {
  format?: PhotoFormat | undefined;
  quality?: number | undefined;
  bitDepth?: BitDepth | undefined;
}

/** The shared settings from parsed options (each command picks the groups it declared). */
export function sharedSettingsOf(
  o: Record<string, unknown>,
): EngineSettings & TuningSettings & EncodingSettings {
  return {
    model: o.model as string | undefined,
    device: o.device as Device,
    threads: o.threads as number | undefined,
    threshold: o.threshold as number | undefined,
    strength: o.strength as number,
    tile: o.tile as number | undefined,
    format: o.format as PhotoFormat | undefined,
    quality: o.quality as number | undefined,
    bitDepth: o.bitDepth === undefined ? undefined : (Number(o.bitDepth) as BitDepth),
  };
}
