// Execution-provider choice: the order to try per platform, and failures explained in words a user can act on.

export const DEVICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const;
export type Device = (typeof DEVICES)[number];
export type Provider = Exclude<Device, 'auto'>;

/** Providers to try, best first; the CPU is always last, so a failing GPU provider falls back to it. */
export function providerOrder(device: Device, platform: NodeJS.Platform = process.platform): Provider[] {
  if (device === 'cpu') return ['cpu'];
  if (device !== 'auto') return [device, 'cpu'];
  switch (platform) {
    case 'linux':
      return ['cuda', 'cpu'];
    case 'win32':
      return ['dml', 'cpu'];
    case 'darwin':
      return ['coreml', 'cpu'];
    default:
      return ['cpu'];
  }
}

const PLATFORM_OF: Record<Exclude<Provider, 'cpu'>, NodeJS.Platform[]> = {
  cuda: ['linux', 'win32'],
  dml: ['win32'],
  coreml: ['darwin'],
};

const CUDA_FIX =
  'install the NVIDIA driver, CUDA 12 and cuDNN 9, then reinstall onnxruntime-node ' +
  '(npm rebuild onnxruntime-node, without ONNXRUNTIME_NODE_INSTALL=skip) so its install step fetches the CUDA provider';

/**
 * Why `provider` could not be used, from onnxruntime's error message, with the step that fixes it.
 * onnxruntime-node 1.30 says "OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library"
 * when libonnxruntime_providers_cuda.so (or its CUDA/cuDNN dependencies) is missing, and
 * "no available backend found. ERR: [dml] backend not found." for a provider its build does not contain.
 */
export function explainProviderFailure(
  provider: Provider,
  error: unknown,
  platform: NodeJS.Platform = process.platform,
  diagnosis?: string,
): string {
  const detail = error instanceof Error ? error.message : String(error);
  const short = detail.split('\n')[0]!.slice(0, 300);
  if (provider !== 'cpu' && !PLATFORM_OF[provider].includes(platform)) {
    return `${name(provider)} is not available on ${platform}; using the CPU`;
  }
  if (provider === 'cuda') return explainCuda(detail, short, diagnosis);
  if (provider === 'dml') {
    if (/backend not found|no available backend/i.test(detail)) {
      return 'DirectML is not in this onnxruntime-node build; reinstall onnxruntime-node for Windows x64. Using the CPU.';
    }
    return `DirectML failed (${short}); update the graphics driver (DirectX 12 capable GPU needed). Using the CPU.`;
  }
  if (provider === 'coreml') {
    if (/backend not found|no available backend/i.test(detail)) {
      return 'CoreML is not in this onnxruntime-node build; reinstall onnxruntime-node on macOS. Using the CPU.';
    }
    return `CoreML failed (${short}); macOS 12 or later is needed. Using the CPU.`;
  }
  return `the CPU provider failed: ${short}`;
}

/** Why a GPU provider that had opened failed on a `width` x `height` tile, and what keeps the next job on it. */
export function explainRunFailure(
  provider: Exclude<Provider, 'cpu'>,
  error: unknown,
  width: number,
  height: number,
): string {
  const detail = error instanceof Error ? error.message : String(error);
  const short = detail.split('\n')[0]!.slice(0, 300);
  const memory = /out of memory|alloc|E_OUTOFMEMORY|887A0005|insufficient memory/i.test(detail);
  const hint = memory ? '; a smaller tile (deblur --tile 256) needs less GPU memory' : '';
  return (
    `${name(provider)} failed on a ${width}x${height} tile (${short})${hint}. ` +
    'The rest of this photo ran on the CPU.'
  );
}

function explainCuda(detail: string, short: string, diagnosis?: string): string {
  const text = diagnosis ? `${diagnosis} ${detail}` : detail;
  const library = /(lib[\w+-]+\.so(?:\.\d+)*|[\w+-]+\.dll)/.exec(diagnosis ?? '')?.[1];
  if (library && /libcudart|cudart64/i.test(library)) {
    return `CUDA unavailable: the CUDA 12 runtime (${library}) is missing; ${CUDA_FIX}. Using the CPU.`;
  }
  if (library && /cudnn/i.test(library)) {
    return `CUDA unavailable: cuDNN 9 (${library}) is missing; ${CUDA_FIX}. Using the CPU.`;
  }
  if (library && /libcuda\.so|nvcuda/i.test(library)) {
    return `CUDA unavailable: the NVIDIA driver (${library}) is missing; ${CUDA_FIX}. Using the CPU.`;
  }
  if (diagnosis) return `CUDA unavailable: ${diagnosis}; ${CUDA_FIX}. Using the CPU.`;
  if (/providers_shared|providers_cuda|Failed to load shared library|backend not found/i.test(text)) {
    return (
      'CUDA unavailable: the CUDA provider of onnxruntime-node could not be loaded ' +
      `(it needs libcudart.so.12 and libcudnn.so.9); ${CUDA_FIX}. Using the CPU.`
    );
  }
  if (/no CUDA-capable device|CUDA driver version is insufficient|cudaErrorNoDevice/i.test(detail)) {
    return `CUDA unavailable: no usable NVIDIA GPU or the driver is too old (${short}); update the NVIDIA driver. Using the CPU.`;
  }
  return `CUDA failed (${short}); ${CUDA_FIX}. Using the CPU.`;
}

function name(provider: Exclude<Provider, 'cpu'>): string {
  return { cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML' }[provider];
}
