// The itinerary's timetable and checks. Expected due times are worked by hand
// from rally-rules §1 (due time = departure at the previous control + target;
// under the US method the target after a stage counts from the stage start).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Control, Leg, Stage } from '../model.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../time/local-time.ts';
import { checkItinerary, type ItineraryFinding } from './check-itinerary.ts';
import { firstCarTimetable } from './timetable.ts';
import { snodriftItinerary } from '../fixtures/snodrift-itinerary.ts';
import { rallyTimetable } from '../exchange/ical.ts';

const MIN = 60_000;
const hhmm = (ms: number | null) => (ms === null ? null : formatLocalDateTime(ms).slice(11, 16));

/** Friday evening: start 18:00, TC1 25 min, SS1 start 3 min after, TC2 27 min from the start, overnight parc fermé 22 min. */
function small(): { legs: Leg[]; stages: Stage[] } {
  return {
    stages: [
      { code: 'SS1', name: 'Glenside', distanceM: 8400, type: 'special', leg: 'L1' },
      { code: 'SS2', name: 'Black Moss', distanceM: 5200, type: 'special', leg: 'L1' },
    ],
    legs: [{
      id: 'L1', name: 'Friday', date: '2026-03-13', sections: [{
        id: 'L1A', controls: [
          { id: 'TC0', kind: 'TC', name: 'Start', firstCarDue: '2026-03-13T18:00' },
          { id: 'TC1', kind: 'TC', name: 'Before Glenside', targetMs: 25 * MIN, distanceM: 15_000 },
          { id: 'SS1S', kind: 'SS_START', stage: 'SS1', targetMs: 3 * MIN },
          { id: 'SS1F', kind: 'SS_FINISH', stage: 'SS1' },
          { id: 'TC2', kind: 'TC', name: 'Before Black Moss', targetMs: 27 * MIN, distanceM: 12_000 },
          { id: 'SS2S', kind: 'SS_START', stage: 'SS2', targetMs: 3 * MIN },
          { id: 'SS2F', kind: 'SS_FINISH', stage: 'SS2' },
          { id: 'TC2A', kind: 'PARC_FERME_IN', name: 'Parc fermé in', targetMs: 22 * MIN, distanceM: 9_000 },
        ],
      }],
    }],
  };
}

const US = { targetFrom: 'stageStart' as const };
const errors = (f: ItineraryFinding[]) => f.filter((x) => x.level === 'error');
const warnings = (f: ItineraryFinding[]) => f.filter((x) => x.level === 'warning');
function withControl(it: { legs: Leg[]; stages: Stage[] }, id: string, change: Partial<Control>): { legs: Leg[]; stages: Stage[] } {
  return { ...it, legs: it.legs.map((l) => ({ ...l, sections: l.sections.map((s) => ({ ...s, controls: s.controls.map((c) => (c.id === id ? { ...c, ...change } : c)) })) })) };
}

describe('first-car timetable (rally-rules §1)', () => {
  test('US method: the target after a stage counts from its start', () => {
    const t = firstCarTimetable(small().legs, small().stages, US);
    // TC1 = 18:00 + 25; SS1 start = TC1 + 3; TC2 = SS1 start + 27; SS2 start + 3; TC2A = SS2 start + 22.
    assert.deepEqual(t.map((x) => [x.control.id, hhmm(x.dueMs)]), [
      ['TC0', '18:00'], ['TC1', '18:25'], ['SS1S', '18:28'], ['SS1F', null], ['TC2', '18:55'], ['SS2S', '18:58'], ['SS2F', null], ['TC2A', '19:20'],
    ]);
  });

  test('counting from the stage finish (MSUK26 App 13 Art 7.1): the finish is estimated with the bogey time, and marked', () => {
    // SS1 bogey at 1 min per km: 8.4 km → 8:24; TC2 = 18:28 + 8:24 + 27 = 19:03:24.
    const t = firstCarTimetable(small().legs, small().stages, { targetFrom: 'previousTimeControl', bogey: { kind: 'perKm', msPerKm: 60_000 } });
    const tc2 = t.find((x) => x.control.id === 'TC2')!;
    assert.equal(formatLocalDateTime(tc2.dueMs!).slice(11, 19), '19:03:24');
    assert.equal(tc2.estimated, true);
    const none = firstCarTimetable(small().legs, small().stages, { targetFrom: 'previousTimeControl' });
    assert.equal(none.find((x) => x.control.id === 'TC2')!.dueMs, null, 'no bogey: the finish is not known in advance');
  });

  test('the Sno*Drift itinerary: TC1 at 18:20, SS1 start 18:23, TC2 26 minutes after SS1 start', () => {
    const it = snodriftItinerary();
    const t = firstCarTimetable(it.legs, it.stages, US);
    const at = (id: string) => hhmm(t.find((x) => x.control.id === id)!.dueMs);
    assert.equal(at('TC0'), '18:00');
    assert.equal(at('TC1'), '18:20');
    assert.equal(at('SS1S'), '18:23');
    // 12 min of road + 6.2 mi of SS1 at 45 km/h rounded up to 14 min.
    assert.equal(at('TC2'), '18:49');
    assert.equal(at('TC8B'), '09:00');
  });
});

test('the calendar feed gives each stage at the first car\'s start, the same time as the timetable', () => {
  const it = snodriftItinerary();
  const events = rallyTimetable({
    id: 'sno', name: 'Sno*Drift', timeZone: 'America/Detroit', distanceUnit: 'mi', startDate: '2026-02-06', endDate: '2026-02-07',
    rules: { preset: 'ara', version: '2026.1' }, legs: it.legs, stages: it.stages, classes: [], entries: [],
  });
  const at = (summary: RegExp) => events.find((e) => summary.test(e.summary))!.start;
  assert.equal(at(/start$/), '2026-02-06T18:00');
  assert.equal(at(/^SS1 /), '2026-02-06T18:23');
  // SS2: TC2 at 18:49 (above), its start 3 minutes later.
  assert.equal(at(/^SS2 /), '2026-02-06T18:52');
});

describe('itinerary checks', () => {
  test('a well-formed itinerary and the Sno*Drift one have no errors', () => {
    assert.deepEqual(checkItinerary({ ...small(), distanceUnit: 'km' }, US), []);
    const it = snodriftItinerary();
    assert.deepEqual(errors(checkItinerary({ legs: it.legs, stages: it.stages, distanceUnit: 'mi' }, US)), []);
  });

  test('a due time before the previous one names the control, both times and the fix', () => {
    const bad = withControl(small(), 'TC2A', { firstCarDue: '2026-03-13T18:40' });
    const e = errors(checkItinerary({ ...bad, distanceUnit: 'km' }, US));
    assert.equal(e.length, 1);
    assert.equal(e[0]!.path, '$.legs[0].sections[0].controls[7].firstCarDue');
    assert.equal(e[0]!.message, 'TC2A is due at 18:40, before SS2S before it (18:58)');
    assert.match(e[0]!.fix, /18:58 or later/);
  });

  test('a leg starting before the previous leg ends is an error', () => {
    const it = small();
    const l2: Leg = { id: 'L2', name: 'Later', date: '2026-03-13', sections: [{ id: 'L2A', controls: [{ id: 'TC3', kind: 'TC', firstCarDue: '2026-03-13T19:00' }] }] };
    const e = errors(checkItinerary({ legs: [...it.legs, l2], stages: it.stages, distanceUnit: 'km' }, US));
    assert.deepEqual(e.map((x) => x.message), ['TC3 is due at 19:00, before the end of the leg before (TC2A at 19:20)']);
  });

  test('a stage without a start', () => {
    const it = small();
    const noStart = { ...it, legs: [{ ...it.legs[0]!, sections: [{ ...it.legs[0]!.sections[0]!, controls: it.legs[0]!.sections[0]!.controls.filter((c) => c.id !== 'SS2S' && c.id !== 'SS2F') }] }] };
    const e = errors(checkItinerary({ ...noStart, distanceUnit: 'km' }, US));
    assert.deepEqual(e.map((x) => [x.path, x.message]), [['$.stages[1].code', 'stage SS2 has no start in the itinerary']]);
    // A finish before its start is one too.
    const swapped = withControl(withControl(small(), 'SS1S', { kind: 'SS_FINISH' }), 'SS1F', { kind: 'SS_START' });
    assert.ok(errors(checkItinerary({ ...swapped, distanceUnit: 'km' }, US)).some((x) => x.message === 'SS1S finishes stage SS1 before any start of it'));
  });

  test('a distance that disagrees with the target: suspicious above the plausible road average, refused above any road', () => {
    // 15 km in 12 min is 75 km/h: plausible roads stop at 70 → a warning.
    const fast = checkItinerary({ ...withControl(small(), 'TC1', { targetMs: 12 * MIN }), distanceUnit: 'km' }, US);
    assert.deepEqual(errors(fast), []);
    assert.equal(warnings(fast)[0]!.message, 'TC1: 15.00 km from TC0 in 0:12 is an average of 75 km/h, above a plausible road-section average (70 km/h)');
    // The same in miles, shown in mph.
    assert.match(warnings(checkItinerary({ ...withControl(small(), 'TC1', { targetMs: 12 * MIN }), distanceUnit: 'mi' }, US))[0]!.message, /9\.32 mi from TC0 in 0:12 is an average of 47 mph/);
    // 150 km typed for 15 km: 750 km/h → an error with the least target that fits.
    const typo = errors(checkItinerary({ ...withControl(small(), 'TC1', { distanceM: 150_000 }), distanceUnit: 'km' }, US));
    assert.equal(typo[0]!.field, 'targetMs');
    assert.match(typo[0]!.message, /average of 360 km\/h, faster than any public road allows/);
    // The target after a stage covers the stage too: 8.4 + 12 km in 27 min is 45 km/h, fine.
    assert.deepEqual(checkItinerary({ ...small(), distanceUnit: 'km' }, US).filter((x) => x.subject === 'TC2'), []);
    // No time for a distance.
    assert.match(errors(checkItinerary({ ...withControl(small(), 'TC1', { targetMs: 0 }), distanceUnit: 'km' }, US))[0]!.message, /allows no time for the 15\.00 km from TC0/);
  });

  test('a duplicate control code is an error; a duplicate name in a section a warning', () => {
    const dup = checkItinerary({ ...withControl(small(), 'TC2', { id: 'TC1' }), distanceUnit: 'km' }, US);
    assert.deepEqual(errors(dup).map((x) => [x.path, x.message]), [['$.legs[0].sections[0].controls[4].id', 'TC1 is used twice: already the 2nd control of section L1A']]);
    const sameName = checkItinerary({ ...withControl(small(), 'TC2', { name: 'Before Glenside' }), distanceUnit: 'km' }, US);
    assert.deepEqual(errors(sameName), []);
    assert.equal(warnings(sameName)[0]!.message, 'TC2 has the same name as TC1 in this section ("Before Glenside")');
  });

  test('a stage control in another leg than its stage, a split beyond the stage, a leg without a start time', () => {
    const it = small();
    const other = { ...it, stages: it.stages.map((s) => (s.code === 'SS2' ? { ...s, leg: 'L9' } : s)) };
    assert.ok(errors(checkItinerary({ ...other, distanceUnit: 'km' }, US)).some((x) => x.message === 'SS2S is in leg L1 but stage SS2 belongs to leg L9'));
    const split = { ...it, legs: [{ ...it.legs[0]!, sections: [{ ...it.legs[0]!.sections[0]!, controls: [...it.legs[0]!.sections[0]!.controls.slice(0, 3), { id: 'SS1I1', kind: 'SPLIT' as const, stage: 'SS1', splitDistanceM: 9000 }, ...it.legs[0]!.sections[0]!.controls.slice(3)] }] }] };
    assert.match(errors(checkItinerary({ ...split, distanceUnit: 'km' }, US))[0]!.message, /split SS1I1 is 9\.00 km from the start, at or beyond the end of SS1 \(8\.40 km\)/);
    const noTime = withControl(small(), 'TC0', { firstCarDue: undefined });
    const w = checkItinerary({ ...noTime, distanceUnit: 'km' }, US);
    assert.deepEqual(errors(w), []);
    assert.match(warnings(w)[0]!.message, /leg L1 starts at TC0 with no first-car time/);
  });
});

/** A generated valid itinerary: legs on successive days, each a start then loops of TC, stage start, finish, stop at plausible road speeds. */
const itineraryArb = fc.array(fc.array(fc.record({ roadKm: fc.integer({ min: 1, max: 60 }), kph: fc.integer({ min: 20, max: 60 }), stageM: fc.integer({ min: 1000, max: 30_000 }) }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 })
  .map((legs) => {
    const stages: Stage[] = [];
    const out: Leg[] = legs.map((loop, l) => {
      const date = formatLocalDateTime(parseLocalDateTime('2026-03-13T00:00')! + l * 86_400_000).slice(0, 10);
      const controls: Control[] = [{ id: `L${l}S`, kind: 'TC', firstCarDue: `${date}T08:00` }];
      loop.forEach((s, i) => {
        const code = `SS${stages.length + 1}`;
        stages.push({ code, name: code, distanceM: s.stageM, type: 'special', leg: `L${l}` });
        // The target covers the road and, from the second stage on, the stage before it (US method) at a stage pace of 40 km/h.
        const prevStage = i > 0 ? loop[i - 1]!.stageM : 0;
        const target = Math.ceil(((s.roadKm / s.kph) + prevStage / 1000 / 40) * 60) * MIN;
        controls.push(
          { id: `TC${code}`, kind: 'TC', targetMs: target, distanceM: s.roadKm * 1000 },
          { id: `${code}S`, kind: 'SS_START', stage: code, targetMs: 3 * MIN },
          { id: `${code}F`, kind: 'SS_FINISH', stage: code },
          { id: `${code}X`, kind: 'STOP', stage: code },
        );
      });
      return { id: `L${l}`, name: `Leg ${l + 1}`, date, sections: [{ id: `L${l}A`, controls }] };
    });
    return { legs: out, stages };
  });

describe('itinerary checks, property', () => {
  test('a generated valid itinerary passes', () => {
    fc.assert(fc.property(itineraryArb, (it) => {
      assert.deepEqual(errors(checkItinerary({ ...it, distanceUnit: 'km' }, US)), []);
    }), { numRuns: 200 });
  });

  test('shifting one due time before the previous one always flags that control', () => {
    fc.assert(fc.property(itineraryArb, fc.nat(), fc.integer({ min: 1, max: 600 }), (it, pick, earlierMin) => {
      const t = firstCarTimetable(it.legs, it.stages, US);
      const candidates = t.filter((x) => x.previous && (x.control.kind === 'TC' || x.control.kind === 'SS_START'));
      fc.pre(candidates.length > 0);
      const target = candidates[pick % candidates.length]!;
      const shifted = formatLocalDateTime(target.previous!.dueMs - earlierMin * MIN).slice(0, 16);
      const bad = withControl(it, target.control.id, { firstCarDue: shifted });
      const found = errors(checkItinerary({ ...bad, distanceUnit: 'km' }, US));
      assert.ok(found.some((x) => x.subject === target.control.id && x.field === 'firstCarDue' && /before/.test(x.message)), `${target.control.id} at ${shifted}: ${JSON.stringify(found)}`);
    }), { numRuns: 200 });
  });
});
