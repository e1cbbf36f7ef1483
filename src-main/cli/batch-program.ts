// `deblur batch` and `deblur scan`: their own commander programs (the root `deblur <photo...>` keeps its
// arguments; main.ts routes here when the first argument names one of these commands).
import { Command, Option } from 'commander';
import { PHOTO_FORMATS, type BitDepth, type PhotoFormat } from '../imaging';
import { DEVICES, type Device } from '../inference';
import { DEFAULT_NAME_TEMPLATE, ON_EXISTING, type OnExisting } from '../jobs';
import { integer, unit } from './program';

export const SUBCOMMANDS = ['batch', 'scan'] as const;

export interface BatchSettings {
  inputs: string[];
  output: string;
  recursive: boolean;
  name: string;
  format?: PhotoFormat | undefined;
  quality?: number | undefined;
  bitDepth?: BitDepth | undefined;
  onExisting: OnExisting;
  model?: string | undefined;
  threshold?: number | undefined;
  strength: number;
  device: Device;
  threads?: number | undefined;
  tile?: number | undefined;
  json: boolean;
}

export interface ScanSettings {
  inputs: string[];
  recursive: boolean;
  size: number;
  model?: string | undefined;
  device: Device;
  threads?: number | undefined;
  json: boolean;
}

function engineOptions(command: Command): Command {
  return command
    .option('--model <id|dir>', 'model id in models/ or a model folder; default: the installed default model')
    .addOption(new Option('--device <device>', 'execution provider').choices(DEVICES).default('auto'))
    .option('--threads <n>', 'onnxruntime intra-op threads', integer('threads', 1));
}

export function buildBatchProgram(): Command {
  const command = new Command()
    .name('deblur batch')
    .description(
      'Restore every photo of folders (an album) into an output folder that mirrors their structure. Sidecar ' +
        'masks (<photo>.mask.png) are applied, metadata is carried over, originals are never replaced. Run the ' +
        'same command again to resume an interrupted batch (journal: <out>/.deblur-batch.journal.jsonl).',
    )
    .argument('<folder|photo...>', 'folders and/or photos')
    .requiredOption('-o, --output <dir>', 'output folder (the report and journal are written there too)')
    .option('-r, --recursive', 'include sub-folders', false)
    .option('--name <template>', 'output file name: {name} and {ext} of the input', DEFAULT_NAME_TEMPLATE)
    .addOption(
      new Option('--format <format>', "output format (default: each input's own)").choices(PHOTO_FORMATS),
    )
    .option('--quality <q>', 'JPEG/WebP/AVIF quality', integer('quality', 1, 100))
    .addOption(
      new Option('--bit-depth <bits>', 'output bit depth (default: the input depth)').choices(['8', '16']),
    )
    .addOption(
      new Option('--on-existing <policy>', 'an output file exists that this batch did not write')
        .choices(ON_EXISTING)
        .default('skip'),
    )
    .option('--threshold <t>', "window keep threshold tau in [0,1]; default: the model's", unit('threshold'))
    .option('--strength <s>', 'blend of the restored photo with the input, in [0,1]', unit('strength'), 1)
    .option('--tile <n>', "tile size in pixels, a multiple of the model's input multiple", integer('tile', 1))
    .option('--json', 'JSON lines on stdout: one per photo, then the summary', false)
    .showHelpAfterError('(run deblur batch --help for usage)');
  return engineOptions(command);
}

export function batchSettingsOf(command: Command): BatchSettings {
  const o = command.opts<Record<string, unknown>>();
  return {
    inputs: command.args,
    output: o.output as string,
    recursive: o.recursive as boolean,
    name: o.name as string,
    format: o.format as PhotoFormat | undefined,
    quality: o.quality as number | undefined,
    bitDepth: o.bitDepth === undefined ? undefined : (Number(o.bitDepth) as BitDepth),
    onExisting: o.onExisting as OnExisting,
    model: o.model as string | undefined,
    threshold: o.threshold as number | undefined,
    strength: o.strength as number,
    device: o.device as Device,
    threads: o.threads as number | undefined,
    tile: o.tile as number | undefined,
    json: o.json as boolean,
  };
}

export function buildScanProgram(): Command {
  const command = new Command()
    .name('deblur scan')
    .description(
      'Rank photos by how much blur the model finds: each photo is run once at a small size (its mean blur ' +
        'confidence and the share of windows it keeps). A relative ranking within an album; writes nothing.',
    )
    .argument('<folder|photo...>', 'folders and/or photos')
    .option('-r, --recursive', 'include sub-folders', false)
    .option('--size <px>', 'longest side of the scanned copy', integer('size', 32, 4096), 256)
    .option('--json', 'print the ranking as one JSON object', false)
    .showHelpAfterError('(run deblur scan --help for usage)');
  return engineOptions(command);
}

export function scanSettingsOf(command: Command): ScanSettings {
  const o = command.opts<Record<string, unknown>>();
  return {
    inputs: command.args,
    recursive: o.recursive as boolean,
    size: o.size as number,
    model: o.model as string | undefined,
    device: o.device as Device,
    threads: o.threads as number | undefined,
    json: o.json as boolean,
  };
}
