// Entry-list changes and the CSV import plan, on the small example rally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Entry, RallyDefinition } from '../model.ts';
import { checkDefinition } from '../rallyfile/check-definition.ts';
import { fixturePath } from '../../testing/fixtures.ts';
import { addEntry, editEntry, substitute, withdrawEntry } from './entry-changes.ts';
import { applyEntryImport, planEntryImport } from './entry-csv.ts';

const rally = (JSON.parse(readFileSync(fixturePath('fixtures/example-small.rally.json'), 'utf8')) as { rally: RallyDefinition }).rally;
const who = { reason: 'entry received 2 Feb', at: '2026-02-02T10:00:00.000Z', by: 'Entries secretary' };
const crew = (car: number, cls = 'RC4'): Entry => ({ car, driver: { name: `Driver ${car}` }, codriver: { name: `Codriver ${car}` }, make: 'Ford', model: 'Fiesta Rally4', class: cls });

test('adding a crew keeps the list in car order, records the reason, and the definition stays valid', () => {
  const r = addEntry(rally, { ...crew(40), late: true }, who);
  assert.ok(r.ok);
  assert.deepEqual(r.definition.entries.map((e) => e.car), [...rally.entries.map((e) => e.car), 40].sort((a, b) => a - b));
  assert.equal(r.change.reason, who.reason);
  assert.match(r.change.lines[0]!, /late entry/);
  assert.deepEqual(checkDefinition(r.definition, '$'), []);
});

test('a change without a reason, a taken number or an unknown class is refused naming the field', () => {
  const noReason = addEntry(rally, crew(40), { ...who, reason: ' ' });
  assert.ok(!noReason.ok && noReason.field === 'reason');
  const taken = addEntry(rally, crew(rally.entries[0]!.car), who);
  assert.ok(!taken.ok && taken.field === 'car' && taken.status === 409);
  const cls = addEntry(rally, crew(40, 'WRC'), who);
  assert.ok(!cls.ok && cls.field === 'class' && /RC2, RC4/.test(cls.message));
});

test('an edit lists each changed field before → after; a new driver must be a substitution', () => {
  const car = rally.entries[0]!.car;
  const r = editEntry(rally, car, { class: 'RC4', registration: 'AB12 CDE', driver: { licence: 'L-1234' } }, who);
  assert.ok(r.ok);
  assert.deepEqual(r.change.lines, ['driver licence: — → L-1234', 'class: RC2 → RC4', 'registration: — → AB12 CDE']);
  const rename = editEntry(rally, car, { driver: { name: 'Somebody Else' } }, who);
  assert.ok(!rename.ok && rename.field === 'driver.name' && /substitution/.test(rename.message));
  const same = editEntry(rally, car, { class: rally.entries[0]!.class }, who);
  assert.ok(!same.ok && /nothing to change/.test(same.message));
});

test('withdrawn before the start: off the entry list, kept with its reason, its number not reusable', () => {
  const car = rally.entries[1]!.car;
  const r = withdrawEntry(rally, car, false, { ...who, reason: 'engine failure in testing' });
  assert.ok(r.ok);
  assert.ok(!r.definition.entries.some((e) => e.car === car));
  assert.equal(r.definition.withdrawn![0]!.withdrawal!.reason, 'engine failure in testing');
  assert.equal(r.definition.withdrawn![0]!.withdrawal!.afterStart, false);
  assert.deepEqual(checkDefinition(r.definition, '$'), []);
  const again = addEntry(r.definition, crew(car), who);
  assert.ok(!again.ok && /withdrew/.test(again.message));
  const twice = withdrawEntry(r.definition, car, false, who);
  assert.ok(!twice.ok && twice.status === 409);
});

test('withdrawn after the start: the entry stays (its times count until then) and says so', () => {
  const car = rally.entries[1]!.car;
  const r = withdrawEntry(rally, car, true, { ...who, reason: 'driver unwell' });
  assert.ok(r.ok);
  assert.equal(r.definition.entries.find((e) => e.car === car)!.withdrawal!.afterStart, true);
  assert.equal(r.definition.withdrawn, undefined);
});

test('a substitution names who was replaced, by whom, when and who approved it', () => {
  const e = rally.entries[0]!;
  const r = substitute(rally, e.car, { role: 'codriver', person: { name: 'Mia Koskinen', nationality: 'FIN' }, approvedBy: 'Clerk of the Course' }, who);
  assert.ok(r.ok);
  assert.deepEqual(r.entry.substitutions, [{ role: 'codriver', from: e.codriver.name, to: 'Mia Koskinen', at: who.at, approvedBy: 'Clerk of the Course', reason: who.reason }]);
  assert.equal(r.entry.codriver.name, 'Mia Koskinen');
  const unapproved = substitute(rally, e.car, { role: 'driver', person: { name: 'X Y' }, approvedBy: '' }, who);
  assert.ok(!unapproved.ok && unapproved.field === 'approvedBy');
});

test('CSV import: each line is planned as add, change, unchanged or refused with every reason', () => {
  const [a, b] = rally.entries;
  const csv = [
    'Car,Driver,Driver nationality,Co-driver,Make,Model,Class,Registration',
    `${a!.car},${a!.driver.name},${a!.driver.nationality},${a!.codriver.name},${a!.make},${a!.model},${a!.class},`,
    `${b!.car},${b!.driver.name},${b!.driver.nationality},${b!.codriver.name},${b!.make},${b!.model},RC4,B0 RAL`,
    '41,"Smith, Jo",USA,Ann Lee,Subaru,WRX,rc2,',
    '42,Kim Park,US,Lee Moon,Subaru,WRX,WRC,',
    'X7,,,Lee Moon,Subaru,WRX,RC2,',
    '41,Other Crew,,Lee Moon,Subaru,WRX,RC2,',
  ].join('\n');
  const plan = planEntryImport(rally, csv);
  assert.deepEqual(plan.fileErrors, []);
  assert.deepEqual(plan.lines.map((l) => [l.line, l.action]), [[2, 'unchanged'], [3, 'change'], [4, 'add'], [5, 'refuse'], [6, 'refuse'], [7, 'refuse']]);
  const change = plan.lines[1]!;
  assert.ok(change.action === 'change');
  assert.deepEqual(change.lines, [`class: ${b!.class} → RC4`, 'registration: — → B0 RAL']);
  const add = plan.lines[2]!;
  assert.ok(add.action === 'add' && add.entry.driver.name === 'Smith, Jo' && add.entry.class === 'RC2');
  const r5 = plan.lines[3]!;
  assert.ok(r5.action === 'refuse');
  assert.deepEqual(r5.reasons, ['unknown class "WRC"; the rally\'s classes are RC2, RC4', 'driver nationality "US" is not a three-letter code like USA or CAN']);
  const r6 = plan.lines[4]!;
  assert.ok(r6.action === 'refuse' && r6.reasons.includes('car "X7" is not a car number (a whole number, e.g. 23)') && r6.reasons.includes('driver is empty'));
  const r7 = plan.lines[5]!;
  assert.ok(r7.action === 'refuse' && /already on line 4/.test(r7.reasons[0]!));
  assert.equal(plan.adds + plan.changes + plan.unchanged + plan.refused, 6);
  const after = applyEntryImport(rally, plan);
  assert.deepEqual(checkDefinition(after, '$'), []);
  assert.equal(after.entries.length, rally.entries.length + 1);
  assert.equal(after.entries.find((e) => e.car === b!.car)!.class, 'RC4');
});

test('CSV import on a rally with two categories (Sno*Drift 2026, National and Regional): each crew needs one; given by code or name, an unknown or missing one refused naming the categories', () => {
  const ara = (JSON.parse(readFileSync(fixturePath('fixtures/ara-2026-sno-drift.rally.json'), 'utf8')) as { rally: RallyDefinition }).rally;
  const pastrana = ara.entries.find((e) => e.driver.name === 'Travis Pastrana')!;
  const csv = [
    'car,driver,codriver,make,model,class,category',
    `${pastrana.car},${pastrana.driver.name},${pastrana.codriver.name},${pastrana.make},${pastrana.model},${pastrana.class},National`,
    '901,Ann Kerr,Bo Dale,Subaru,Impreza,O4WD,regional',
    '902,Cy Moss,Di Fenn,Ford,Fiesta,O2WD,Club',
    '903,Ed Lowe,Fa Gill,Ford,Fiesta,O2WD,',
  ].join('\n');
  const plan = planEntryImport(ara, csv);
  assert.deepEqual(plan.fileErrors, []);
  assert.deepEqual(plan.lines.map((l) => [l.line, l.action]), [[2, 'unchanged'], [3, 'add'], [4, 'refuse'], [5, 'refuse']]);
  const add = plan.lines[1]!;
  assert.ok(add.action === 'add' && add.entry.category === 'Regional' && /, Regional$/.test(add.lines[0]!));
  const club = plan.lines[2]!;
  assert.ok(club.action === 'refuse');
  assert.deepEqual(club.reasons, ['unknown category "Club"; the rally\'s categories are National, Regional']);
  const none = plan.lines[3]!;
  assert.ok(none.action === 'refuse' && /category is empty; this rally classifies its crews by category: give one of National, Regional/.test(none.reasons[0]!));
  const after = applyEntryImport(ara, plan);
  assert.deepEqual(checkDefinition(after, '$'), [], 'the import leaves a valid definition');
  assert.equal(after.entries.find((e) => e.car === 901)!.category, 'Regional');
  // Without a category column an existing crew keeps its category; a new crew cannot be placed and is refused.
  const keep = planEntryImport(ara, `car,driver,codriver,make,model,class\n${pastrana.car},${pastrana.driver.name},${pastrana.codriver.name},${pastrana.make},${pastrana.model},${pastrana.class}\n904,Gu Hale,Ha Ives,Ford,Fiesta,O2WD`);
  assert.deepEqual(keep.lines.map((l) => l.action), ['unchanged', 'refuse']);
  // Moving a crew to the other category is a change that says so.
  const move = planEntryImport(ara, `car,driver,codriver,make,model,class,category\n${pastrana.car},${pastrana.driver.name},${pastrana.codriver.name},${pastrana.make},${pastrana.model},${pastrana.class},Regional`);
  const m = move.lines[0]!;
  assert.ok(m.action === 'change');
  assert.deepEqual(m.lines, ['category: National → Regional']);
  // A rally with one classification refuses a category rather than storing one nothing reads.
  const single = planEntryImport(rally, 'car,driver,codriver,make,model,class,category\n41,Jo Smith,Ann Lee,Subaru,WRX,RC2,National');
  assert.ok(single.lines[0]!.action === 'refuse' && /one classification/.test(single.lines[0]!.reasons[0]!));
});

test('adding or editing a crew on a rally with two categories (Sno*Drift 2026): the category is required, checked, and a move between them is a change that says so', () => {
  const ara = (JSON.parse(readFileSync(fixturePath('fixtures/ara-2026-sno-drift.rally.json'), 'utf8')) as { rally: RallyDefinition }).rally;
  const none = addEntry(ara, crew(901, 'O2WD'), who);
  assert.ok(!none.ok && none.field === 'category' && /give one of National, Regional/.test(none.message));
  const wrong = addEntry(ara, { ...crew(901, 'O2WD'), category: 'Club' }, who);
  assert.ok(!wrong.ok && wrong.field === 'category' && /unknown category "Club"/.test(wrong.message));
  const ok = addEntry(ara, { ...crew(901, 'O2WD'), category: 'Regional' }, who);
  assert.ok(ok.ok);
  assert.deepEqual(checkDefinition(ok.definition, '$'), []);
  const pastrana = ara.entries.find((e) => e.driver.name === 'Travis Pastrana')!;
  const moved = editEntry(ara, pastrana.car, { category: 'Regional' }, who);
  assert.ok(moved.ok);
  assert.deepEqual(moved.change.lines, ['category: National → Regional']);
  const bad = editEntry(ara, pastrana.car, { category: 'Club' }, who);
  assert.ok(!bad.ok && bad.field === 'category');
  const single = addEntry(rally, { ...crew(77), category: 'National' }, who);
  assert.ok(!single.ok && single.field === 'category' && /one classification/.test(single.message));
});

test('CSV import: a header without a required column refuses the whole file and names it', () => {
  const plan = planEntryImport(rally, 'car,driver,make,model,class\n5,A,B,C,RC2\n');
  assert.equal(plan.lines.length, 0);
  assert.match(plan.fileErrors[0]!, /lacks codriver/);
});

test('CSV import of the current entry list (any order, any subset) changes nothing', () => {
  const header = 'car,driver,driver nationality,codriver,codriver nationality,make,model,class';
  const line = (e: Entry) => [e.car, e.driver.name, e.driver.nationality ?? '', e.codriver.name, e.codriver.nationality ?? '', e.make, e.model, e.class].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(',');
  fc.assert(fc.property(fc.shuffledSubarray(rally.entries, { minLength: 1 }), (subset) => {
    const plan = planEntryImport(rally, [header, ...subset.map(line)].join('\r\n'));
    assert.equal(plan.unchanged, subset.length);
    assert.deepEqual(applyEntryImport(rally, plan).entries, rally.entries);
  }));
});

test('the sample entry list of the docs (docs/samples/entries.csv) reads without a refusal: three crews to add, names with accents and a quoted comma kept', () => {
  const plan = planEntryImport(rally, readFileSync(fixturePath('docs/samples/entries.csv'), 'utf8'));
  assert.deepEqual(plan.fileErrors, []);
  assert.deepEqual([plan.adds, plan.changes, plan.refused], [3, 0, 0]);
  const added = plan.lines.flatMap((l) => (l.action === 'add' ? [l.entry] : []));
  assert.deepEqual(added.map((e) => [e.car, e.driver.name, e.class]), [[7, 'Liisa Mäkinen', 'RC2'], [8, "O'Brien, Niamh", 'RC4'], [9, 'Tomás Ruiz', 'RC4']]);
});
