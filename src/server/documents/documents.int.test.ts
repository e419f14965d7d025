// Official documents of the demo rally, rendered as a clerk prints them: each
// PDF is turned into page images with pdftoppm (poppler-utils) and its text
// read back with pdftotext, and checked against the classification the
// scoring gives for the same log prefix — not against the renderer's own output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRallyFile } from '../../core/rallyfile/parse.ts';
import { resolveRules } from '../../core/rules/resolve.ts';
import { classify, score, stageResults, type ScoringState } from '../../core/scoring/index.ts';
import { formatDuration } from '../../core/time/index.ts';
import { fixturePath } from '../../testing/fixtures.ts';
import { isCi } from '../../testing/pg.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/harness.ts';

const SNODRIFT = fixturePath('fixtures/snodrift-2026.rally.json');
const R = '/api/rallies/snodrift-2026';

function popplerSkip(): string | false {
  const ok = ['pdftoppm', 'pdftotext'].every((tool) => spawnSync(tool, ['-v'], { encoding: 'utf8' }).error === undefined);
  if (ok) return false;
  const msg = 'pdftoppm/pdftotext (Debian poppler-utils) not installed — PDF document tests SKIPPED (apt-get install poppler-utils)';
  if (isCi()) throw new Error(`${msg}; CI requires them (.ci/run installs them)`);
  console.warn(`\n!!! ${msg}\n`);
  return msg;
}
const skip = popplerSkip();

describe('official documents as PDF (demo rally, publications 1 provisional and 2 official)', { skip }, () => {
  let s: TestServer;
  let dir: string;
  let state: ScoringState;
  let half: ScoringState;
  let hashes: string[];
  before(async () => {
    s = await startTestServer('memory', { now: () => new Date('2026-02-07T23:45:00Z') });
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-documents-'));
    const json = JSON.parse(readFileSync(SNODRIFT, 'utf8'));
    const parsed = parseRallyFile(json);
    assert.ok(parsed.ok);
    const rules = resolveRules(parsed.file.rally.rules).rules;
    const cut = Math.floor(json.facts.length / 2);
    state = score(parsed.file.rally, rules, parsed.file.facts);
    half = score(parsed.file.rally, rules, parsed.file.facts.slice(0, cut));
    assert.equal((await s.call('POST', '/api/rallies/import', { ...json, facts: json.facts.slice(0, cut) }, ADMIN_TOKEN)).statusCode, 201);
    const officer = await s.token('officer', 'snodrift-2026');
    assert.equal((await s.call('POST', `${R}/publications`, { kind: 'provisional', reason: 'after leg 1' }, officer, { 'idempotency-key': 'publish-documents-1' })).statusCode, 201);
    for (let i = cut; i < json.facts.length; i += 500) assert.equal((await s.call('POST', `${R}/facts`, { facts: json.facts.slice(i, i + 500) }, officer)).statusCode, 201);
    assert.equal((await s.call('POST', `${R}/publications`, { kind: 'official', reason: 'final classification', override: { reason: 'the inquiry window is not what this test is about' } }, officer, { 'idempotency-key': 'publish-documents-2' })).statusCode, 201);
    hashes = (await s.call('GET', `${R}/publications`)).json().publications.map((p: { hash: string }) => p.hash);
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Fetches a document, renders every page to PNG and returns its text, one string per page. */
  async function render(url: string, name: string): Promise<string[]> {
    const r = await s.call('GET', url);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/pdf');
    const pdf = join(dir, `${name}.pdf`);
    writeFileSync(pdf, r.rawPayload);
    const ppm = spawnSync('pdftoppm', ['-r', '40', '-png', pdf, join(dir, name)], { encoding: 'utf8' });
    assert.equal(ppm.status, 0, ppm.stderr);
    const pngs = readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    const pages = text.stdout.split('\f').filter((p) => p.trim() !== '');
    assert.equal(pngs.length, pages.length, 'one image per page');
    pages.forEach((p, i) => assert.match(p, new RegExp(`page ${i + 1} of ${pages.length}`), `${name}: page ${i + 1} says its number and the count`));
    return pages;
  }

  function everyPageCarries(pages: string[], status: 'OFFICIAL' | 'PROVISIONAL', number: RegExp, hash: string) {
    for (const p of pages) {
      assert.match(p, /Sno\*Drift Rally 2026/);
      assert.match(p, new RegExp(status));
      assert.match(p, number);
      assert.match(p, /2026-02-07 18:45 EST \(America\/Detroit\)/, 'time of publication, rally-local, with its zone');
      assert.ok(p.replace(/\s+/g, '').includes(hash), 'the seal hash');
    }
    assert.match(pages.at(-1)!, /Clerk of the Course|The Stewards/);
    assert.match(pages.at(-1)!, /Name\s+Signature\s+Date and time/);
  }

  /** Each classified row's position, car and total, in order, as lines of the text. */
  function assertRowsInOrder(text: string, rows: { position: number | null; car: number; totalMs: number }[]) {
    let from = 0;
    for (const r of rows.filter((x) => x.position !== null)) {
      const re = new RegExp(`^\\s*${r.position}\\s+${r.car}\\s.*\\s${formatDuration(r.totalMs, 1).replace('.', '\\.')}\\s`, 'm');
      const m = re.exec(text.slice(from));
      assert.ok(m, `row ${r.position} car ${r.car} ${formatDuration(r.totalMs, 1)} after offset ${from}`);
      from += m.index + m[0].length;
    }
  }

  test('classification after SS8, class L4WD (provisional 1): every classified crew in order with its total', async () => {
    const pages = await render(`${R}/publications/1/documents/classification.pdf?after=SS8&class=L4WD`, 'class-l4wd');
    everyPageCarries(pages, 'PROVISIONAL', /Document 1\.4-SS8-L4WD/, hashes[0]!);
    const c = classify(half, { after: 'SS8', class: 'L4WD' });
    assert.ok(c.rows.filter((r) => r.position !== null).length > 5);
    assertRowsInOrder(pages.join('\n'), c.rows.map((r) => ({ ...r, position: r.classPosition ?? r.position })));
  });

  test('final classification (official 2): overall, then every class, then the crews not classified', async () => {
    const pages = await render(`${R}/publications/2/documents/final-classification.pdf`, 'final');
    everyPageCarries(pages, 'OFFICIAL', /Document 2\.5/, hashes[1]!);
    const text = pages.join('\n');
    const overall = classify(state);
    const overallText = text.slice(0, text.indexOf('Class O4WD'));
    assertRowsInOrder(overallText, overall.rows);
    for (const k of ['O4WD', 'L4WD', 'NA4WD', 'O2WD', 'L2WD']) {
      const at = text.indexOf(`Class ${k} -`);
      assert.ok(at > 0, k);
      assertRowsInOrder(text.slice(at), classify(state, { class: k }).rows.map((r) => ({ ...r, position: r.classPosition })));
    }
    const out = text.slice(text.lastIndexOf('Not classified'));
    assert.match(out, /47\s.*retired at SS5: Engine failure/);
    assert.match(out, /52\s.*excluded: Auxiliary headlights/);
  });

  test('stage results SS5: positions and times as the stage classification gives them', async () => {
    const pages = await render(`${R}/publications/2/documents/stage-results.pdf?stage=SS5`, 'ss5');
    everyPageCarries(pages, 'OFFICIAL', /Document 2\.3-SS5/, hashes[1]!);
    const sr = stageResults(state, 'SS5');
    assertRowsInOrder(pages.join('\n'), sr.rows.filter((r) => r.timeMs !== null).map((r) => ({ position: r.position, car: r.car, totalMs: r.timeMs! })));
  });

  test('entry list and start list: every crew; leg 2 leaves out the crews out of the rally', async () => {
    const entries = await render(`${R}/publications/2/documents/entry-list.pdf`, 'entries');
    everyPageCarries(entries, 'OFFICIAL', /Document 2\.1/, hashes[1]!);
    const def = JSON.parse(readFileSync(SNODRIFT, 'utf8')).rally as { entries: { car: number; driver: { name: string } }[] };
    for (const e of def.entries) assert.match(entries.join('\n'), new RegExp(`^\\s*${e.car}\\s+${e.driver.name}`, 'm'));
    const start = await render(`${R}/publications/2/documents/start-list.pdf?leg=L2`, 'start-l2');
    everyPageCarries(start, 'OFFICIAL', /Document 2\.2-L2/, hashes[1]!);
    const text = start.join('\n');
    assert.match(text, /first car due 09:00/);
    assert.match(text, /^\s*1\s+1\s+Riley Ferreira.*09:00:00/m);
    assert.doesNotMatch(text, /^\s*\d+\s+47\s/m, 'car 47 retired for good in leg 1');
    assert.doesNotMatch(text, /^\s*\d+\s+52\s/m, 'car 52 excluded');
    assert.match(text, /^\s*\d+\s+45\s/m, 'car 45 restarted under Super Rally');
    assert.match(text, /Not starting this leg \(out of the rally\): cars 47, 52/);
  });

  test('penalties, retirements and exclusions, and a stewards\' decision', async () => {
    const pen = (await render(`${R}/publications/2/documents/penalties.pdf`, 'penalties')).join('\n');
    assert.match(pen, /^\s*19\s+Paige Jablonski.*Speeding.*1:00\s+Stewards' decision 1/m);
    assert.match(pen, /^\s*23\s.*road penalty at TC8A: due 23:28, checked in 23:32.*\s0:40\s/m);
    assert.match(pen, /^\s*31\s.*jump start/m);
    const out = (await render(`${R}/publications/2/documents/retirements.pdf`, 'retirements')).join('\n');
    assert.match(out, /^\s*45\s.*SS6\s+Went off into a snowbank.*\s+at L2A/m);
    assert.match(out, /^\s*47\s.*SS5\s+Engine failure/m);
    assert.match(out, /^\s*52\s.*Auxiliary headlights/m);
    const decision = await render(`${R}/publications/2/documents/decision.pdf?fact=penalty-19`, 'decision');
    everyPageCarries(decision, 'OFFICIAL', /Document 2\.8-penalty-19/, hashes[1]!);
    const d = decision.join('\n');
    assert.match(d, /Stewards' decision/);
    assert.match(d, /Decision\s+Time penalty of 1:00 at TC10/);
    assert.match(d, /Reason\s+Speeding on the road section to TC10/);
    assert.match(d, /The Stewards/);
  });

  test('a draft of the current results says so on every page and carries no seal', async () => {
    const pages = await render(`${R}/documents/classification.pdf`, 'draft');
    for (const p of pages) {
      assert.match(p, /DRAFT - NOT PUBLISHED/);
      assert.match(p, /Not published: no seal/);
    }
    assertRowsInOrder(pages.join('\n'), classify(state).rows);
  });

  test('start list of a leg with a stored start list: that list, in its order and due times, and the document says it is the stored one; a leg without one says so', async () => {
    const officer = await s.token('officer', 'snodrift-2026');
    // Leg 2 seeded by the classification after leg 1, its first three in reverse (the organiser's choice; SEE core/startlists).
    const put = await s.call('PUT', `${R}/start-lists/L2`, { method: 'classification', reverseTopN: 3, intervals: [{ fromOrder: 1, intervalMs: 120_000 }], firstDue: '2026-02-07T09:30', reason: 'leg 2 seeding per SR 5.3' }, officer);
    assert.equal(put.statusCode, 200, put.body);
    const stored = put.json().startList as { rows: { order: number; car: number; due: string }[] };
    assert.equal((await s.call('POST', `${R}/publications`, { kind: 'official', reason: 'start list of leg 2', override: { reason: 'the inquiry window is not what this test is about' } }, officer, { 'idempotency-key': 'publish-documents-3' })).statusCode, 201);
    const h3 = (await s.call('GET', `${R}/publications`)).json().publications[2].hash as string;
    const pages = await render(`${R}/publications/3/documents/start-list.pdf?leg=L2`, 'start-l2-stored');
    everyPageCarries(pages, 'OFFICIAL', /Document 3\.2-L2/, h3);
    const text = pages.join('\n');
    assert.match(text, /Seeding\s+classification/);
    assert.match(text, /Stored\s+.*leg 2 seeding per SR 5\.3/);
    assert.match(text, /due times as stored/);
    assert.doesNotMatch(text, /No start list is stored/);
    // Every stored row, in the stored order, with its stored due time.
    let from = 0;
    for (const r of stored.rows) {
      const m = new RegExp(`^\\s*${r.order}\\s+${r.car}\\s.*\\s${r.due.slice(11, 19)}\\s*$`, 'm').exec(text.slice(from));
      assert.ok(m, `order ${r.order} car ${r.car} due ${r.due}`);
      from += m.index + m[0].length;
    }
    // The rule, independently of the list builder: the first three after leg 1 start in reverse, two minutes apart from 09:30.
    const lastL1 = JSON.parse(readFileSync(SNODRIFT, 'utf8')).rally.stages.filter((x: { leg: string }) => x.leg === 'L1').at(-1).code as string;
    const top3 = classify(state, { after: lastL1 }).rows.filter((r) => r.position !== null).slice(0, 3).map((r) => r.car);
    assert.deepEqual(stored.rows.slice(0, 3).map((r) => r.car), [...top3].reverse());
    assert.match(text, new RegExp(`^\\s*1\\s+${top3[2]}\\s.*09:30:00`, 'm'));
    assert.match(text, new RegExp(`^\\s*2\\s+${top3[1]}\\s.*09:32:00`, 'm'));
    // Leg 1 has no stored list: car-number order, and the document says so.
    const l1 = (await render(`${R}/publications/3/documents/start-list.pdf?leg=L1`, 'start-l1-fallback')).join('\n');
    assert.match(l1, /No start list is stored for this leg: crews start in car-number order/);
    // Publication 2 was made before the list was stored: as published, its leg 2 list is still the fallback.
    assert.match((await render(`${R}/publications/2/documents/start-list.pdf?leg=L2`, 'start-l2-before')).join('\n'), /No start list is stored for this leg/);
  });

  test('bad requests name the parameter and the fix; nothing is a 5xx', async () => {
    const cases: [string, number, RegExp][] = [
      [`${R}/publications/2/documents/stage-results.pdf`, 400, /stage is required: give a stage code \(SS1, SS2/],
      [`${R}/publications/2/documents/stage-results.pdf?stage=SS99`, 400, /no stage "SS99"/],
      [`${R}/publications/2/documents/decision.pdf?fact=SS1F-1`, 400, /not a decision|no fact/],
      [`${R}/publications/2/documents/classification.pdf?class=XX`, 400, /no class "XX"; classes are O4WD/],
      [`${R}/publications/9/documents/classification.pdf`, 404, /no publication 9/],
      [`${R}/publications/2/documents/results.pdf`, 404, /documents are entry-list\.pdf/],
    ];
    for (const [url, status, re] of cases) {
      const r = await s.call('GET', url);
      assert.equal(r.statusCode, status, `${url}: ${r.body}`);
      assert.match(r.json().detail, re, url);
    }
  });
});

// The demo rally runs two classifications on the same roads (ARA National and
// Regional, docs/scoring.md "Two classifications in one event"): its documents
// print each category classified apart, every crew of both.
describe('official documents of a rally with two categories (the demo rally, Sno*Drift 2026 as published)', { skip }, () => {
  const DEMO = fixturePath('fixtures/ara-2026-sno-drift.rally.json');
  let s: TestServer;
  let dir: string;
  let state: ScoringState;
  before(async () => {
    s = await startTestServer('memory', { now: () => new Date('2026-02-08T01:00:00Z') });
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-documents-demo-'));
    const json = JSON.parse(readFileSync(DEMO, 'utf8'));
    const parsed = parseRallyFile(json);
    assert.ok(parsed.ok);
    state = score(parsed.file.rally, resolveRules(parsed.file.rally.rules).rules, parsed.file.facts);
    assert.equal((await s.call('POST', '/api/rallies/import', json, ADMIN_TOKEN)).statusCode, 201);
    const officer = await s.token('officer', 'snodrift-2026');
    assert.equal((await s.call('POST', `${R}/publications`, { kind: 'official', reason: 'final classification', override: { reason: 'no provisional: not what this test is about' } }, officer, { 'idempotency-key': 'publish-demo-1' })).statusCode, 201);
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function text(url: string, name: string): Promise<string> {
    const r = await s.call('GET', url);
    assert.equal(r.statusCode, 200, r.body);
    writeFileSync(join(dir, `${name}.pdf`), r.rawPayload);
    const out = spawnSync('pdftotext', ['-layout', join(dir, `${name}.pdf`), '-'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return out.stdout;
  }

  /** Position, car and total of each classified row, in order. */
  function rowsInOrder(t: string, rows: { position: number | null; car: number; totalMs: number | null }[], what: string, atLeast = 4) {
    let from = 0;
    const classified = rows.filter((x) => x.position !== null);
    assert.ok(classified.length >= atLeast, `${what}: ${classified.length} crews classified`);
    for (const r of classified) {
      const m = new RegExp(`^\\s*${r.position}\\s+${r.car}\\s.*\\s${formatDuration(r.totalMs!, 1).replace('.', '\\.')}\\s`, 'm').exec(t.slice(from));
      assert.ok(m, `${what}: row ${r.position} car ${r.car} ${formatDuration(r.totalMs!, 1)}`);
      from += m.index + m[0].length;
    }
  }

  test('final classification: National, then Regional, each overall, by class and not classified — every classified crew of both in order with its total', async () => {
    const t = await text(`${R}/publications/1/documents/final-classification.pdf`, 'final');
    assert.match(t, /National and Regional, each: Overall and by class/);
    const at = (h: string) => { const i = t.indexOf(h); assert.ok(i >= 0, h); return i; };
    for (const [cat, next] of [['National', 'National: Class'], ['Regional', 'Regional: Class']] as const) {
      rowsInOrder(t.slice(at(`${cat}: Overall`), at(next)), classify(state, { category: cat }).rows, `${cat} overall`);
      const classes = new Set(classify(state, { category: cat }).rows.map((r) => r.entry.class));
      for (const k of classes) {
        const from = at(`${cat}: Class ${k} -`);
        // The section ends at the category's next heading (its own "(continued)" on a new page does not end it).
        const next = new RegExp(`${cat}: (Class (?!${k} -)|Not classified)`, 'g');
        next.lastIndex = from + 1;
        const ends = [next.exec(t)?.index ?? t.length];
        const rows = classify(state, { category: cat, class: k }).rows.map((r) => ({ ...r, position: r.classPosition }));
        rowsInOrder(t.slice(from, Math.min(...ends)), rows, `${cat} class ${k}`, 1);
      }
    }
    // Several pages: each page's first row comes under the table's column headings, repeated (a row is never
    // printed without them on its page), and each page says its number and the count.
    const pages = t.split('\f').filter((p) => p.trim() !== '');
    assert.ok(pages.length > 1, `${pages.length} pages`);
    pages.forEach((p, i) => {
      const lines = p.split('\n');
      const firstRow = lines.findIndex((l) => /^\s*\d+\s+\d+\s+\S/.test(l));
      if (firstRow >= 0) assert.ok(lines.slice(0, firstRow).some((l) => /Driver \/ co-driver/.test(l)), `page ${i + 1}: column headings before its first row`);
      assert.match(p, new RegExp(`page ${i + 1} of ${pages.length}`));
    });
    // The Regional crews retired on SS10 and SS14 (as published) are listed with the reason.
    const regionalOut = t.slice(at('Regional: Not classified'));
    for (const car of [337, 111, 983]) assert.match(regionalOut, new RegExp(`^\\s*${car}\\s.*retired at`, 'm'), `car ${car}`);
  });

  test('classification and stage results of the Regional category, and the retirements of both', async () => {
    const c = await text(`${R}/publications/1/documents/classification.pdf?category=Regional`, 'regional');
    assert.match(c, /Regional: Overall, after/);
    assert.match(c, /Document 1\.4-Regional/);
    rowsInOrder(c, classify(state, { category: 'Regional' }).rows, 'Regional classification');
    const st = await text(`${R}/publications/1/documents/stage-results.pdf?stage=SS3&category=Regional`, 'ss3-regional');
    assert.match(st, /Regional: SS3 /);
    const sr = stageResults(state, 'SS3', { category: 'Regional' });
    rowsInOrder(st, sr.rows.filter((r) => r.timeMs !== null).map((r) => ({ position: r.position, car: r.car, totalMs: r.timeMs })), 'SS3 Regional');
    const ret = await text(`${R}/publications/1/documents/retirements.pdf`, 'retirements');
    for (const car of [337, 111, 983, 157]) assert.match(ret, new RegExp(`^\\s*${car}\\s`, 'm'), `car ${car} listed`);
    const bad = await s.call('GET', `${R}/publications/1/documents/classification.pdf?category=Club`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /no category "Club"; categories are National, Regional/);
  });
});
