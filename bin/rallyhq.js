#!/usr/bin/env node
// Entry point of the `rallyhq` command: runs the TypeScript CLI through tsx,
// so a checkout works with `npx rallyhq` right after `npm install`.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
