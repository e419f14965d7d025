// Every server setting (src/server/config.ts) is documented, with its flag,
// its environment variable and its default, in the settings tables of the
// README and docs/operations.md — and those tables list nothing else.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { command as serve } from '../cli/commands/serve.ts';
import { DEFAULTS, SETTINGS } from './config.ts';

const read = (rel: string): string => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');

/** Rows of the first table under the heading `## Settings`: cells with backticks removed. */
function settingsTable(markdown: string): string[][] {
  const start = markdown.search(/^## Settings$/m);
  assert.ok(start >= 0, 'a "## Settings" section');
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split('|').map((c) => c.trim().replace(/`/g, '')));
  }
  return rows;
}

/** The flag names in a flag cell or a SETTINGS flag: `--seed-demo / --no-seed-demo` → both. */
const flagNames = (text: string): string[] => text.match(/--[a-z-]+/g) ?? [];

/** How the docs write a setting's default. */
function defaultText(key: keyof typeof DEFAULTS | 'adminToken' | 'signingKey' | 'pushSubject'): RegExp {
  const v = (DEFAULTS as unknown as Record<string, unknown>)[key];
  if (v === undefined) return key === 'adminToken' ? /^generated/ : /^none/;
  if (typeof v === 'boolean') return v ? /^on$/ : /^off$/;
  return new RegExp(`^${String(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('settings documentation matches src/server/config.ts', () => {
  for (const doc of ['README.md', 'docs/operations.md']) {
    test(`${doc}: one row per setting with its flag, variable and default; no other rows`, () => {
      const rows = settingsTable(read(doc));
      for (const s of SETTINGS) {
        const row = rows.find((r) => r[1]?.split(/\s/)[0] === s.env);
        assert.ok(row, `${doc}: no row for ${s.env}`);
        assert.deepEqual(flagNames(row[0]!), flagNames(s.flag), `${doc}: flags of ${s.env}`);
        assert.match(row[2]!, defaultText(s.key), `${doc}: default of ${s.env}`);
        assert.ok(row[3]!.length > 0, `${doc}: meaning of ${s.env}`);
      }
      assert.equal(rows.length, SETTINGS.length, `${doc}: rows ${rows.map((r) => r[1]).join(', ')}`);
    });
  }

  test('rallyhq serve --help lists every setting with its flag and variable', () => {
    for (const s of SETTINGS) {
      assert.ok(serve.usage.includes(s.flag), `--help shows ${s.flag}`);
      assert.ok(serve.usage.includes(s.env), `--help shows ${s.env}`);
    }
  });
});
