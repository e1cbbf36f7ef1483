// Runs the command: each photo in turn through the restore service; exit 0 all ok, 1 some failed, 2 usage.
import { basename, resolve } from 'node:path';
import { CancelledError, InferenceEngine, ModelError, loadModelDir } from '../inference';
import { ModelNotFoundError, resolveModelDir, restorePhoto, type RestoreReport } from '../restore';
import type { CliSettings } from './program';
import { progressView } from './progress';

export async function runCli(settings: CliSettings): Promise<number> {
  let modelDir: string;
  try {
    modelDir = resolveModelDir(settings.model);
    const model = await loadModelDir(modelDir, { verify: false });
    const multiple = model.manifest.inputMultiple;
    if (settings.tile !== undefined && settings.tile % multiple !== 0) {
      console.error(`deblur: --tile must be a multiple of ${multiple} for model ${model.manifest.id}`);
      return 2;
    }
  } catch (error) {
    if (error instanceof ModelNotFoundError || error instanceof ModelError) {
      console.error(`deblur: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const engine = new InferenceEngine();
  let failed = 0;
  let reasonShown = false;
  // Ctrl-C cancels the running photo between tiles (nothing is written) and stops; exit code 130.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  // No output may replace another photo of this command or an output written before it in this run.
  const protect = new Map(settings.photos.map((p) => [resolve(p), 'another photo given to this command']));
  try {
    for (const photo of settings.photos) {
      if (interrupt.signal.aborted) break;
      const bar = settings.json ? progressView('', false) : progressView(basename(photo));
      try {
        const report = await restorePhoto(
          engine,
          { ...settings, input: photo, modelDir, manyInputs: settings.photos.length > 1, protect },
          { onProgress: (progress) => bar.update(progress), signal: interrupt.signal },
        );
        bar.stop();
        protect.set(report.output, `the output of ${photo}, written before it in this run`);
        if (settings.json) console.log(JSON.stringify(jsonReport(report, modelDir)));
        else {
          if (report.fallbackReason && !reasonShown) console.error(`deblur: ${report.fallbackReason}`);
          reasonShown ||= Boolean(report.fallbackReason);
          printReport(report);
        }
      } catch (error) {
        bar.stop();
        if (error instanceof CancelledError) {
          console.error(`deblur: ${photo}: cancelled, nothing written`);
          break;
        }
        failed++;
        const message = error instanceof Error ? error.message : String(error);
        console.error(`deblur: ${photo}: failed: ${message}`);
        if (settings.json) console.log(JSON.stringify({ input: photo, error: message }));
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    await engine.close();
  }
  if (interrupt.signal.aborted) return 130;
  return failed ? 1 : 0;
}

function jsonReport(report: RestoreReport, model: string) {
  const { input, output, provider, fallbackReason, tiles, keptRatio, seconds, warnings, mask, maps } = report;
  return {
    input,
    output,
    model,
    provider,
    fallbackReason: fallbackReason ?? null,
    tiles,
    keptRatio,
    threshold: report.threshold,
    seconds,
    warnings,
    mask: mask ?? null,
    maps: maps ?? null,
  };
}

function printReport(report: RestoreReport): void {
  const kept = (report.keptRatio * 100).toFixed(1);
  console.error(
    `${report.input} -> ${report.output} (${report.provider}, ${report.tiles.run} tiles run, ` +
      `${report.tiles.skipped} skipped, ${kept}% windows kept, ${report.seconds.toFixed(1)} s)`,
  );
  for (const warning of report.warnings) console.error(`  warning: ${warning}`);
}
