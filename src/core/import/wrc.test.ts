// Golden tests: two complete WRC rallies, scored from their raw stage times and
// penalties under the FIA preset, must reproduce the official classification —
// every position, total and penalty sum — and leave exactly the crews the
// officials did not classify unclassified. Expectations come from the `official`
// block of the data (the WRC timing API), never from rallyhq's own output.
// Each rally goes the way a user's data does: imported, scored, written as a
// rally file, read back and scored again; the checks run on the re-read rally.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importWrc, makeOfModel, type WrcRallyFile } from './wrc.ts';
import { resolveRules } from '../rules/resolve.ts';
import { parseRallyFile, serializeRallyFile, RALLY_FILE_FORMAT, RALLY_FILE_VERSION } from '../rallyfile/index.ts';
import { classify, dataIssues, explain, score, stageResults, type ScoringState } from '../scoring/index.ts';
import { parseDuration } from '../time/duration.ts';

function load(name: string): WrcRallyFile {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/real/${name}`, import.meta.url), 'utf8')) as WrcRallyFile;
}

function scoreDefinition(definition: Parameters<typeof score>[0], facts: Parameters<typeof score>[2]): ScoringState {
  const { rules, errors } = resolveRules(definition.rules);
  assert.deepEqual(errors, []);
  return score(definition, rules, facts);
}

/** Import → score → write the rally file → read it → score; the re-read rally's state and classification. */
function scoreFile(file: WrcRallyFile) {
  const imported = importWrc(file);
  const direct = scoreDefinition(imported.definition, imported.facts);
  const text = serializeRallyFile({ format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: imported.definition, facts: imported.facts });
  const read = parseRallyFile(JSON.parse(text));
  assert.ok(read.ok, read.ok ? '' : `the written rally file does not read back: ${JSON.stringify(read.errors.slice(0, 5))}`);
  const { rally: definition, facts } = read.file;
  const state = scoreDefinition(definition, facts);
  return { definition, facts, state, final: classify(state), direct, text, warnings: read.warnings };
}

const ms = (text: string): number => {
  const v = parseDuration(text);
  assert.notEqual(v, null, `official time ${text} parses`);
  return v as number;
};

for (const [name, label] of [['wrc-2018-monte-carlo.json', 'Monte-Carlo 2018'], ['wrc-2018-sweden.json', 'Sweden 2018']] as const) {
  describe(`WRC ${label}: official classification reproduced under the FIA preset`, () => {
    const file = load(name);
    const scored = scoreFile(file);
    const { final } = scored;
    const byCar = new Map(final.rows.map((r) => [r.car, r]));

    test('the rally file written from the import reads back without warnings, writes the same bytes, and scores the same as the import', () => {
      const { state, direct, text, warnings, definition, facts } = scored;
      assert.deepEqual(warnings, []);
      assert.equal(serializeRallyFile({ format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: definition, facts }), text);
      assert.deepEqual(classify(state), classify(direct));
      for (const st of definition.stages) assert.deepEqual(stageResults(state, st.code), stageResults(direct, st.code), st.code);
      assert.deepEqual(dataIssues(state), dataIssues(direct));
      for (const e of definition.entries) assert.deepEqual(explain(state, e.car), explain(direct, e.car), `car ${e.car}`);
    });

    test('every classified crew: official position, total and penalty sum', () => {
      const mismatches: string[] = [];
      for (const crew of file.crews) {
        const o = crew.official;
        if (o.position === null) continue;
        const row = byCar.get(crew.car);
        const want = { position: o.position, totalMs: ms(o.total as string), penaltyMs: ms(o.penaltyTotal ?? '0:00.0') };
        const got = { position: row?.position ?? null, totalMs: row?.totalMs ?? null, penaltyMs: row?.penaltyMs ?? null };
        if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push(`car ${crew.car}: want ${JSON.stringify(want)} got ${JSON.stringify(got)} (${row?.status})`);
      }
      assert.deepEqual(mismatches, []);
    });

    test('exactly the crews the officials did not classify are unclassified', () => {
      const want = file.crews.filter((c) => c.official.position === null).map((c) => c.car).sort((a, b) => a - b);
      const got = final.rows.filter((r) => r.position === null).map((r) => r.car).sort((a, b) => a - b);
      assert.deepEqual(got, want);
      const classified = final.rows.filter((r) => r.position !== null).map((r) => r.position);
      assert.deepEqual(classified, classified.map((_, i) => i + 1), 'positions 1..n');
    });
  });
}

describe('WRC 2018 traps (SEE: fixtures/real/README.md)', () => {
  test('Monte-Carlo SS17 power stage timed to 0.001 s: Ogier 10:14.882 ranks with thousandths, counts 10:14.8 (truncated) in the total', () => {
    const { state } = scoreFile(load('wrc-2018-monte-carlo.json'));
    const row = stageResults(state, 'SS17').rows.find((r) => r.car === 1);
    assert.equal(row?.timeMs, 10 * 60_000 + 14_882);
    const w = explain(state, 1, 'SS17');
    assert.equal(w.resultMs, 10 * 60_000 + 14_800);
  });

  test('power stage bonus points (+5 … +1 in the official WRC drivers points) go to our top five of the power stage, in order', () => {
    for (const [name, ps] of [['wrc-2018-monte-carlo.json', 'SS17'], ['wrc-2018-sweden.json', 'SS19']] as const) {
      const file = load(name);
      const bonus = new Map<number, number>();
      for (const c of file.crews) {
        const champs = (c.official as { championships?: { championship: string; pointsBreakdown?: string }[] }).championships ?? [];
        const wrc = champs.find((x) => x.championship === 'FIA World Rally Championship for Drivers');
        const plus = Number(wrc?.pointsBreakdown?.split('+')[1] ?? 0);
        if (plus > 0) bonus.set(c.car, plus);
      }
      const want = [...bonus].sort((a, b) => b[1] - a[1]).map(([car]) => car);
      const { state } = scoreFile(file);
      assert.deepEqual(stageResults(state, ps).rows.slice(0, 5).map((r) => r.car), want, name);
    }
  });

  test('Monte-Carlo car 86 has all 17 stage times but retired permanently (LATE 3H, maximum lateness): not classified', () => {
    const { final } = scoreFile(load('wrc-2018-monte-carlo.json'));
    const row = final.rows.find((r) => r.car === 86);
    assert.equal(row?.stagesCounted, 17);
    assert.equal(row?.position, null);
    assert.equal(row?.status, 'retired');
    assert.ok(final.retired.some((r) => r.car === 86 && r.permanent && r.reason === 'LATE 3H'));
  });

  test('Sweden: penalties at the finish control TC19A count — Evans (car 2) +4:20 drops to 14th, Ogier (car 1) rises to 10th', () => {
    const { final } = scoreFile(load('wrc-2018-sweden.json'));
    const evans = final.rows.find((r) => r.car === 2);
    assert.equal(evans?.penaltyMs, 260_000);
    assert.equal(evans?.position, 14);
    assert.equal(final.rows.find((r) => r.car === 1)?.position, 10);
  });

  test('Sweden: after SS19 but before the finish control penalties were known, the classification is the same as the final one (TC19A follows SS19)', () => {
    // The last stage's classification includes everything after it: the finish control belongs to it.
    const { state, final } = scoreFile(load('wrc-2018-sweden.json'));
    assert.deepEqual(classify(state, { after: 'SS19' }).rows.map((r) => [r.car, r.position]), final.rows.map((r) => [r.car, r.position]));
  });

  test('Sweden car 10 (Meeke): all 19 stage times, permanent retirement at TC19A after the last stage: not classified', () => {
    const { final } = scoreFile(load('wrc-2018-sweden.json'));
    const row = final.rows.find((r) => r.car === 10);
    assert.equal(row?.stagesCounted, 19);
    assert.equal(row?.position, null);
  });

  test('Sweden car 10 after SS18 is still classified (its retirement at TC19A comes later in the itinerary)', () => {
    const { state } = scoreFile(load('wrc-2018-sweden.json'));
    const row = classify(state, { after: 'SS18' }).rows.find((r) => r.car === 10);
    assert.notEqual(row?.position, null);
  });

  test('restarted crews (9 in Monte-Carlo, 8 in Sweden per the README) are classified with their assessed times', () => {
    for (const [name, count] of [['wrc-2018-monte-carlo.json', 9], ['wrc-2018-sweden.json', 8]] as const) {
      const file = load(name);
      const { final } = scoreFile(file);
      const rejoined = file.crews.filter((c) => c.official.position !== null && (c.retirements ?? []).some((r) => r.status === 'Rejoined'));
      assert.equal(rejoined.length, count, name);
      for (const c of rejoined) {
        const row = final.rows.find((r) => r.car === c.car);
        assert.equal(row?.position, c.official.position, `${name} car ${c.car}`);
        assert.ok(final.retired.some((r) => r.car === c.car && r.restartedAt !== undefined), `car ${c.car} listed as restarted`);
      }
    }
  });
});

test('make from the model name in the timing data: "FIESTA WRC" Ford, "i20 Coupe WRC" Hyundai, " 208 R2" Peugeot; an unknown model stays "unknown"', () => {
  assert.equal(makeOfModel('FIESTA WRC'), 'Ford');
  assert.equal(makeOfModel('i20 Coupe WRC'), 'Hyundai');
  assert.equal(makeOfModel(' 208 R2'), 'Peugeot');
  assert.equal(makeOfModel('Fabia R5'), 'Škoda');
  assert.equal(makeOfModel('Quattro S1'), 'unknown');
  // Every model in the two real rallies is known, so a manufacturers' table of an import has no "unknown" make.
  for (const name of ['wrc-2018-monte-carlo', 'wrc-2018-sweden']) {
    const file = JSON.parse(readFileSync(new URL(`../../../fixtures/real/${name}.json`, import.meta.url), 'utf8')) as WrcRallyFile;
    const unknown = file.crews.filter((c) => makeOfModel(c.vehicle ?? '') === 'unknown').map((c) => `${c.car} ${c.vehicle}`);
    assert.deepEqual(unknown, [], name);
  }
});
