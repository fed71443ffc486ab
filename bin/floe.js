#!/usr/bin/env node
// In a development checkout (src/ present) run the TypeScript sources through tsx; installed packages
// ship only dist/.
import { existsSync } from 'node:fs';

const source = new globalThis.URL('../src/cli/main.ts', import.meta.url);

if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
