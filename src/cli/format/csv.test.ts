// RFC 4180: fields with a comma, a double quote or a line break are quoted; quotes doubled; CRLF line ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, toCsv } from './csv.ts';

test('a name with a comma is quoted: Smith, Jr. → "Smith, Jr." (RFC 4180 §2.6)', () => assert.equal(csvField('Smith, Jr.'), '"Smith, Jr."'));
test('a double quote is doubled inside quotes: Team "Snow" → "Team ""Snow""" (RFC 4180 §2.7)', () => assert.equal(csvField('Team "Snow"'), '"Team ""Snow"""'));
test('a line break is quoted', () => assert.equal(csvField('a\nb'), '"a\nb"'));
test('plain text, integers and booleans are written bare', () => {
  assert.equal(csvField('Perocarpi'), 'Perocarpi');
  assert.equal(csvField(3_723_400), '3723400');
  assert.equal(csvField(false), 'false');
});
test('null and non-finite numbers are empty fields, never "null" or "NaN"', () => {
  assert.equal(csvField(null), '');
  assert.equal(csvField(Number.NaN), '');
});
test('header row then records, each line ended by CRLF (RFC 4180 §2.1–2.3)', () => {
  assert.equal(toCsv(['car', 'driver'], [[23, 'Perocarpi, Luis'], [7, null]]), 'car,driver\r\n23,"Perocarpi, Luis"\r\n7,\r\n');
});
