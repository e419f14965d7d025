// The season page's working of a round: every leg's bonus named by its leg
// (ERC20 [P], rally-rules §6.1), and the note that says why points were scaled
// (shortened rally, FMU26 Art 3.1) — the same words as `rallyhq standings --workings`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundWorkings } from './standings-workings.ts';

test('leg bonus lines name their leg; a shortened rally\'s note follows the lines; an unconfirmed rule says so', () => {
  const rule = 'ERC20 Art 3.2';
  const text = roundWorkings({
    lines: [
      { source: 'final', place: 2, points: 12, rule, confirmed: true },
      { source: 'leg', place: 3, points: 3, rule, confirmed: true, leg: 'L1', legLabel: 'leg 1' },
      { source: 'leg', place: 2, points: 4, rule: 'leg bonus kept by a retired crew', confirmed: false, leg: 'L2', legLabel: 'leg 2' },
    ],
    notes: ['shortened rally: 20.00 km of 40.00 km run (50 %); the scheme gives × 0.5 (FMU26 Art 3.1)'],
  });
  assert.equal(text, [
    '+12 final classification, 2nd (ERC20 Art 3.2)',
    '+3 leg 1 bonus, 3rd (ERC20 Art 3.2)',
    '+4 leg 2 bonus, 2nd (leg bonus kept by a retired crew, unconfirmed)',
    'shortened rally: 20.00 km of 40.00 km run (50 %); the scheme gives × 0.5 (FMU26 Art 3.1)',
  ].join('\n'));
});

test('a round without a working has no tooltip', () => {
  assert.equal(roundWorkings(undefined), undefined);
  assert.equal(roundWorkings({ lines: [], notes: [] }), undefined);
});
