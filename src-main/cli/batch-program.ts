// `deblur batch` and `deblur scan`: their own commander programs (the root `deblur <photo...>` keeps its
// arguments; main.ts routes here when the first argument names one of these commands).
import { Command, Option } from 'commander';
import { DEFAULT_NAME_TEMPLATE, ON_EXISTING, type OnExisting } from '../jobs';
import {
  encodingOptions,
  engineOptions,
  integer,
  sharedSettingsOf,
  tuningOptions,
  type EncodingSettings,
  type EngineSettings,
  type TuningSettings,
} from './options';

export const SUBCOMMANDS = ['batch', 'scan'] as const;

export interface BatchSettings extends EngineSettings, TuningSettings, EncodingSettings {
  inputs: string[];
  output: string;
  recursive: boolean;
  name: string;
  onExisting: OnExisting;
  json: boolean;
}

export interface ScanSettings extends EngineSettings {
  inputs: string[];
  recursive: boolean;
  size: number;
  json: boolean;
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
    .option('--name <template>', 'output file name: {name} and {ext} of the input', DEFAULT_NAME_TEMPLATE);
  encodingOptions(command, "output format (default: each input's own)")
    .addOption(
      new Option('--on-existing <policy>', 'an output file exists that this batch did not write')
        .choices(ON_EXISTING)
        .default('skip'),
    )
    .option('--json', 'JSON lines on stdout: one per photo, then the summary', false)
    .showHelpAfterError('(run deblur batch --help for usage)');
  return engineOptions(tuningOptions(command));
}

export function batchSettingsOf(command: Command): BatchSettings {
  const o = command.opts<Record<string, unknown>>();
  return {
    ...sharedSettingsOf(o),
    inputs: command.args,
    output: o.output as string,
    recursive: o.recursive as boolean,
    name: o.name as string,
    onExisting: o.onExisting as OnExisting,
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
  const { model, device, threads } = sharedSettingsOf(o);
  return {
    inputs: command.args,
    recursive: o.recursive as boolean,
    size: o.size as number,
    model,
    device,
    threads,
    json: o.json as boolean,
  };
}
