// The `deblur` command's entry (run by deblur.js through tsx): parse, run, set the exit code.
import { CommanderError } from 'commander';
import { buildProgram, settingsOf } from './program';
import { runCli } from './run';

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
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
