// Types of bytes.js (plain JS so that the page's client can inline it).
export function bytesReplacer(this: unknown, key: string, value: unknown): unknown;
export function bytesReviver(key: string, value: unknown): unknown;
