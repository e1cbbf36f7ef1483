// The `deblur` command. Placeholder: sub-commands (restore, batch, models, ...) are added here.
import { Command } from 'commander';

export function buildProgram(): Command {
  return new Command()
    .name('deblur')
    .description('Remove local motion blur from photos with LMD-ViT, headless.')
    .version('0.1.0');
}

buildProgram().parse(process.argv);
