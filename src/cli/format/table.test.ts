import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, renderTable, truncate } from './table.ts';

test('columns align: numbers right, text left, no trailing spaces', () => {
  const out = renderTable([{ header: 'Pos', align: 'right' }, { header: 'Crew' }, { header: 'Total', align: 'right' }],
    [['1', 'L. Perocarpi', '1:02:03.4'], ['10', 'T. Pastrana', '59.9']]);
  assert.equal(out, [
    'Pos  Crew              Total',
    '  1  L. Perocarpi  1:02:03.4',
    ' 10  T. Pastrana        59.9',
    '',
  ].join('\n'));
});

test('a table wider than 80 columns shrinks its flexible columns with … and fits', () => {
  const long = 'Mini John Cooper Works Countryman ALL4 Rally Edition';
  const out = renderTable(
    [{ header: 'Car', align: 'right' }, { header: 'Crew', flex: true }, { header: 'Car model', flex: true }, { header: 'Total', align: 'right' }],
    [['23', 'Luis Perocarpi / Mark Wells with a very long co-driver name', long, '1:02:03.4']], 80);
  for (const line of out.trimEnd().split('\n')) assert.ok(displayWidth(line) <= 80, `${displayWidth(line)} > 80: ${line}`);
  assert.ok(out.includes('…'));
  assert.ok(out.includes('1:02:03.4'), 'fixed columns are never cut');
});

test('truncate keeps the width and marks the cut', () => {
  assert.equal(truncate('Countryman', 6), 'Count…');
  assert.equal(truncate('Mini', 6), 'Mini');
  assert.equal(displayWidth('▲2'), 2);
});

test('wrap breaks at spaces within the width and indents what follows', async () => {
  const { wrap } = await import('./table.ts');
  assert.equal(wrap('  45  Went off into a snowbank', 20, 6), '  45  Went off into\n      a snowbank');
  assert.equal(wrap('short', 20, 6), 'short');
});
