// The `deblur` command's entry (run by deblur.js through tsx): parse, run, set the exit code.
// `deblur batch`, `deblur scan` and `deblur models` have their own programs; anything else is `deblur <photo...>`.
import { CommanderError, type Command } from 'commander';
import { runBatchCli, runScanCli } from './batch';
import {
  SUBCOMMANDS,
  batchSettingsOf,
  buildBatchProgram,
  buildScanProgram,
  scanSettingsOf,
} from './batch-program';
import { runModelsCli } from '../models/cli';
import { buildProgram, settingsOf } from './program';
import { runCli } from './run';

export async function main(argv: string[]): Promise<number> {
  if (argv[2] === 'models') return runModelsCli(argv.slice(3)); // import, list, default, remove, show
  const sub = SUBCOMMANDS.find((name) => argv[2] === name);
  let program: Command | undefined;
  try {
    if (sub === 'batch') {
      program = buildBatchProgram().exitOverride();
      program.parse(argv.slice(3), { from: 'user' });
      return await runBatchCli(batchSettingsOf(program));
    }
    if (sub === 'scan') {
      program = buildScanProgram().exitOverride();
      program.parse(argv.slice(3), { from: 'user' });
      return await runScanCli(scanSettingsOf(program));
    }
    program = buildProgram().exitOverride();
    program.parse(argv);
    return await runCli(settingsOf(program));
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; any other parse error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    console.error(`deblur: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
