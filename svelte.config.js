// Svelte compiler options shared by electron-vite, Vitest browser mode and svelte-check.
export default {
  compilerOptions: { runes: true },
};
