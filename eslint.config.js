// Lint: typescript-eslint recommended, zero warnings, and the architecture rule:
// src/core is pure — it may import nothing with I/O and nothing outside itself,
// and its tests import nothing from the adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'src/web/dist/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'http', 'crypto', 'child_process'], message: 'src/core is pure: no I/O imports.' },
          { group: ['**/store/**', '**/server/**', '**/cli/**', '**/web/**', 'better-sqlite3', 'pg', 'fastify'], message: 'src/core imports nothing outside itself.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'src/core has no clock: pass the time in.' },
        { name: 'process', message: 'src/core has no environment.' },
        { name: 'fetch', message: 'src/core has no I/O.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'src/core has no randomness: pass a seed in.' }],
    },
  },
  {
    // The core's tests test the core: what they need from an adapter belongs in the core (or in the adapter's own tests).
    files: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/store/**', '**/server/**', '**/cli/**', '**/web/**'], message: 'a src/core test imports nothing from the adapters (store, server, cli, web): move what it needs into src/core.' }],
      }],
    },
  },
);
