// Draws the app icon (assets/icon.png, 512x512) with sharp: a rounded square with a sharp/blurred lens mark.
// Own art, no third-party files. Run: node assets/make-icon.mjs
import sharp from 'sharp';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512">
  <defs><filter id="b" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="10"/></filter></defs>
  <rect x="16" y="16" width="480" height="480" rx="96" fill="#1d3557"/>
  <circle cx="220" cy="256" r="120" fill="none" stroke="#a8dadc" stroke-width="36" filter="url(#b)" opacity="0.6"/>
  <circle cx="292" cy="256" r="120" fill="none" stroke="#f1faee" stroke-width="36"/>
  <circle cx="292" cy="256" r="40" fill="#e63946"/>
</svg>`;

await sharp(Buffer.from(svg))
  .png()
  .toFile(new URL('./icon.png', import.meta.url).pathname);
