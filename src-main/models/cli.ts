// `deblur models import|list|default|remove|show|verify`: the registry from the command line.
import { Command, CommanderError } from 'commander';
import { importCheckpoint } from './import';
import { userModelsDir } from './paths';
import {
  findModel,
  listModels,
  modelCard,
  removeModel,
  setDefault,
  verifyModel,
  type ModelEntry,
  type RegistryRoots,
} from './registry';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const consoleIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
};

function summary(e: ModelEntry) {
  return { id: e.id, name: e.name, source: e.source, variant: e.variant, default: e.default, dir: e.dir };
}

export function buildModelsProgram(io: Io = consoleIo, roots: RegistryRoots = {}): Command {
  const program = new Command()
    .name('deblur models')
    .description(
      `Import, list and manage models. Imported models live in ${roots.user ?? userModelsDir()} ` +
        '($DEBLUR_MODELS_DIR overrides).',
    )
    .showHelpAfterError('(run deblur models --help for usage)');
  program
    .command('import')
    .description('import a PyTorch checkpoint of the official LMD-ViT (model_LMDVIT.pth); no Python needed')
    .argument('<file>', 'the .pth checkpoint')
    .option('--id <id>', 'model id (default: from the file name)')
    .option('--name <name>', 'display name')
    .option('--default', 'make it the default model', false)
    .option('--json', 'print {"id", "dir", ...} as JSON', false)
    .action(async (file: string, o: { id?: string; name?: string; default: boolean; json: boolean }) => {
      const result = await importCheckpoint(file, {
        ...(roots.user ? { modelsDir: roots.user } : {}),
        ...(roots.shipped ? { shippedDir: roots.shipped } : {}),
        ...(o.id ? { id: o.id } : {}),
        ...(o.name ? { name: o.name } : {}),
      });
      if (o.default) await setDefault(result.id, roots);
      if (o.json) io.out(JSON.stringify(result));
      else {
        io.out(
          result.existing
            ? `${file} was already imported as "${result.id}" (${result.dir})`
            : `imported ${file} as "${result.id}" in ${result.dir} (${result.seconds.toFixed(1)} s)`,
        );
        if (result.ignored.length) io.out(`ignored checkpoint entries: ${result.ignored.join(', ')}`);
        io.out(`run it: deblur --model ${result.id} <photo>`);
      }
    });
  program
    .command('list')
    .description('list shipped and imported models; * marks the default')
    .option('--json', 'print a JSON array', false)
    .action((o: { json: boolean }) => {
      const entries = listModels(roots);
      if (o.json) return io.out(JSON.stringify(entries.map(summary)));
      if (!entries.length) return io.out('no models installed (deblur models import <file.pth>)');
      for (const e of entries) {
        io.out(`${e.default ? '*' : ' '} ${e.id.padEnd(24)} ${e.source.padEnd(8)} ${e.variant.padEnd(6)} ${e.name}`);
      }
    });
  program
    .command('default')
    .description('make a model the default')
    .argument('<id>')
    .action(async (id: string) => {
      await setDefault(id, roots);
      io.out(`default model: ${id}`);
    });
  program
    .command('remove')
    .description('remove an imported model (shipped models stay)')
    .argument('<id>')
    .action(async (id: string) => {
      const entry = await removeModel(id, roots);
      io.out(`removed ${entry.id} (${entry.dir})`);
    });
  program
    .command('show')
    .description("print a model's manifest summary and its card")
    .argument('<id>')
    .option('--json', 'print the manifest as JSON', false)
    .action((id: string, o: { json: boolean }) => {
      const entry = findModel(id, roots);
      if (o.json) return io.out(JSON.stringify({ ...summary(entry), manifest: entry.manifest }));
      const m = entry.manifest;
      io.out(`${entry.id}: ${entry.name}${entry.default ? ' (default)' : ''}`);
      io.out(`source: ${entry.source}; variant: ${entry.variant}; folder: ${entry.dir}`);
      if (typeof m.weights === 'string') io.out(`weights: ${m.weights}`);
      io.out('');
      io.out(modelCard(entry) ?? '(no model card)');
    });
  program
    .command('verify')
    .description("check a model's files against the sha256 in its manifest")
    .argument('<id>')
    .action(async (id: string) => {
      await verifyModel(findModel(id, roots));
      io.out(`${id}: ok`);
    });
  return program;
}

/** Runs `deblur models <args...>`; returns the exit code (2 usage, 1 refused or failed). */
export async function runModelsCli(args: string[], io: Io = consoleIo, roots: RegistryRoots = {}): Promise<number> {
  const program = buildModelsProgram(io, roots).exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.err(`deblur models: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
