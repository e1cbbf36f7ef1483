// Uint8Array over the bridge's JSON, both ways: `{"$bytes": "<base64>"}`. Shared by the server (imported) and
// the page's client (the server inlines this file into client.js without its `export` keywords), so both sides
// run the same code. Plain functions over atob/btoa, which Node and browsers both have.

const BYTES_TAG = '$bytes';

/**
 * JSON.stringify replacer: Uint8Arrays (of any realm, Node's Buffers too) become tagged base64 strings. It reads
 * the holder's own value (`this[key]`) because JSON.stringify hands it a Buffer's toJSON() result.
 */
export function bytesReplacer(key, value) {
  const raw = this[key];
  if (!(ArrayBuffer.isView(raw) && Object.prototype.toString.call(raw) === '[object Uint8Array]')) {
    return value;
  }
  value = raw;
  let binary = '';
  for (let i = 0; i < value.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, value.subarray(i, i + 0x8000));
  }
  return { [BYTES_TAG]: btoa(binary) };
}

/** JSON.parse reviver: tagged base64 strings become Uint8Arrays again. */
export function bytesReviver(_key, value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== BYTES_TAG || typeof value[BYTES_TAG] !== 'string') return value;
  const binary = atob(value[BYTES_TAG]);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
