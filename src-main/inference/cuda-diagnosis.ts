// After the CUDA provider failed to load: find out which file is missing, so the reason names it.
// onnxruntime-node only says "Failed to load shared library"; loading its CUDA provider library ourselves
// makes the dynamic loader name the missing dependency (libcudart.so.12, libcudnn.so.9, libcublas...).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** onnxruntime-node's folder of native libraries for this platform. */
export function ortBinaryFolder(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
    return join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/** A sentence naming what is missing for CUDA, or undefined when nothing more specific can be said. */
export function diagnoseCuda(folder = ortBinaryFolder()): string | undefined {
  if (!folder || process.platform !== 'linux') return undefined;
  const provider = join(folder, 'libonnxruntime_providers_cuda.so');
  if (!existsSync(join(folder, 'libonnxruntime_providers_shared.so')) || !existsSync(provider)) {
    return (
      'onnxruntime-node was installed without its CUDA provider ' +
      `(libonnxruntime_providers_cuda.so is not in ${folder}; its install step was skipped or offline)`
    );
  }
  try {
    process.dlopen({ exports: {} }, provider);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const missing = /(lib[\w+.-]+\.so[\w.]*): cannot open shared object file/.exec(message)?.[1];
    if (missing) return `${missing} could not be loaded (needed by libonnxruntime_providers_cuda.so)`;
  }
  return undefined;
}
