#!/usr/bin/env node
// The `deblur` bin: runs the TypeScript CLI (main.ts) through tsx's loader, so it works right after `npm ci`
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
