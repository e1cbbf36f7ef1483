// XMP carried over from the original: its orientation must agree with the upright pixels written.

/** Prefixes bound to the TIFF namespace in an XMP packet ('tiff' by convention). */
const TIFF_PREFIX = /xmlns:([\w.-]+)\s*=\s*["']http:\/\/ns\.adobe\.com\/tiff\/1\.0\/["']/g;

/** The XMP packet with tiff:Orientation set to 1 (as attribute or element, under whatever prefix the packet
 * binds to the TIFF namespace), or undefined when it says no other orientation. The rest is kept as it is. */
export function uprightXmp(xmp: Buffer): string | undefined {
  const text = xmp.toString('utf8');
  const prefixes = new Set(['tiff', ...Array.from(text.matchAll(TIFF_PREFIX), (match) => match[1]!)]);
  let fixed = text;
  for (const prefix of prefixes) {
    const name = `${prefix.replace(/[.-]/g, '\\$&')}:Orientation`;
    const attribute = new RegExp(`(\\s${name}\\s*=\\s*(["']))\\s*\\d+\\s*\\2`, 'g');
    const element = new RegExp(`(<${name}(?:\\s[^>]*)?>)\\s*\\d+\\s*(</${name}>)`, 'g');
    fixed = fixed
      .replace(attribute, (_, head: string, quote: string) => `${head}1${quote}`)
      .replace(element, (_, open: string, close: string) => `${open}1${close}`);
  }
  return fixed === text ? undefined : fixed;
}
