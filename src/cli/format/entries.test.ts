import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entriesCsv, entriesTable, startOrder } from './entries.ts';
import { definition } from './sample.test-data.ts';
import { displayWidth } from './table.ts';

test('start order is by car number: 5, 7, 12, 23, 41; --class L4WD keeps 7, 12, 23', () => {
  assert.deepEqual(startOrder(definition).map((e) => e.car), [5, 7, 12, 23, 41]);
  assert.deepEqual(startOrder(definition, 'L4WD').map((e) => e.car), [7, 12, 23]);
});
test('table: names in full with nationalities, within 80 columns', () => {
  const out = entriesTable(definition, startOrder(definition), 80);
  assert.match(out, /^\s+23 Luis Perocarpi\s+USA Mark Wells\s+USA L4WD/m);
  for (const l of out.split('\n')) assert.ok(displayWidth(l) <= 80, l);
});
test('csv: a name with a comma is quoted (RFC 4180); eligibility joined by spaces', () => {
  const csv = entriesCsv(startOrder(definition));
  assert.ok(csv.startsWith('start_order,car,driver,'));
  assert.ok(csv.includes('\r\n3,12,"Lia Block, Jr.",USA,Alex Driver,USA,L4WD,Ford,Fiesta Rally3,,,,false\r\n'), csv);
});
