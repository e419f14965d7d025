#!/usr/bin/env node
// Entry point of the `rallyhq` command: runs the TypeScript CLI through tsx,
// so a checkout works with `npx rallyhq` right after `npm install`. rallyhq's
// own tsconfig is named: tsx would otherwise look in the working folder, and
// the server-rendered pages' JSX (Preact) would compile as React there.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
