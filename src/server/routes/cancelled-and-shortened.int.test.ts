// Issue rules through the server and the CLI on the demo rally (Sno*Drift 2026
// as published): its Power Stage (SS16, the last stage) cancelled, and a
// shortened version with its first leg (SS1–SS8) cancelled. The rally reaches
// its final classification, the standings award no Power Stage points when it
// did not run and scale points by the distance run, and the workings say why —
// in GET /api/championships/:season/standings and in `rallyhq standings --workings`.
// SEE: rally-rules §3.4 (a cancelled stage counts for no one), §5, §6.1
// (Power Stage points need the stage run — ARA22 [P], FMU26 Art 50.3;
// shortened rally: ≥ 75 % full, ≥ 50 % half, ≥ 25 % a third — FMU26 Art 3.1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { championshipApp } from '../../testing/championship-app.ts';
import type { Fact } from '../../core/facts.ts';
import type { RallyDefinition } from '../../core/model.ts';
import type { Season } from '../../core/championship/index.ts';
import { openHistoryStore } from '../../store/history/open-history.ts';
import { runCli } from '../../cli/main.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const demo = JSON.parse(readFileSync(join(ROOT, 'fixtures/ara-2026-sno-drift.rally.json'), 'utf8')) as { format: string; version: number; rally: RallyDefinition; facts: (Fact & { seq?: number })[] };

/** The demo with `stages` cancelled: their times taken out, a cancellation with a reason put in. */
function withCancelled(id: string, stages: string[]): { format: string; version: number; rally: RallyDefinition; facts: Fact[] } {
  const controls = new Set(demo.rally.legs.flatMap((l) => l.sections.flatMap((s) => s.controls)).filter((c) => c.stage && stages.includes(c.stage)).map((c) => c.id));
  const facts = demo.facts.map(({ seq: _s, ...f }) => f as Fact).filter((f) => !((f.type === 'controlTime' && controls.has(f.control)) || (f.type === 'stageTime' && stages.includes(f.stage))));
  return { format: demo.format, version: demo.version, rally: { ...demo.rally, id }, facts: [...facts, ...stages.map((stage): Fact => ({ type: 'stageCancelled', id: `cancel-${stage}`, stage, reason: 'spectators in a prohibited area' }))] };
}

const seed = JSON.parse(readFileSync(join(ROOT, 'seeds/ara-2026-season.json'), 'utf8')) as Season;
const round = seed.rounds.find((r) => r.id === 'snodrift')!;

describe('a cancelled Power Stage and a shortened rally through the server and the CLI (the demo rally)', () => {
  const dir = join(ROOT, 'data', `test-cancelled-${randomBytes(4).toString('hex')}`);
  const files = { cps: withCancelled('snodrift-cps', ['SS16']), short: withCancelled('snodrift-short', ['SS1', 'SS2', 'SS3', 'SS4', 'SS5', 'SS6', 'SS7', 'SS8']) };
  // The Power Stage case under ARA's national points (22-17-14-12-10 …, Power Stage 5-4-3-2-1: ara-evidence.md);
  // the shortened one under a scheme with the FIA shortened-rally rule (fia-wrc-2017: 25-18-15 …).
  const seasons: Season[] = [
    { ...seed, id: 'cps-2026', name: 'Cancelled Power Stage', rounds: [{ ...round, round: 1, rally: 'snodrift-cps', rallyFile: `data/${dir.split('/').at(-1)}/cps.rally.json` }],
      championships: [{ id: 'drivers', name: 'Drivers', kind: 'drivers', scheme: 'ara-national', category: 'National' }] },
    { ...seed, id: 'short-2026', name: 'Shortened', rounds: [{ ...round, round: 1, rally: 'snodrift-short', rallyFile: `data/${dir.split('/').at(-1)}/short.rally.json` }],
      championships: [{ id: 'drivers', name: 'Drivers', kind: 'drivers', scheme: 'fia-wrc-2017', category: 'National' }] },
  ];
  let app: FastifyInstance;
  let close: () => Promise<void>;
  before(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cps.rally.json'), JSON.stringify(files.cps));
    writeFileSync(join(dir, 'short.rally.json'), JSON.stringify(files.short));
    const history = await openHistoryStore(`sqlite:${join(dir, 'history.db')}`);
    for (const s of seasons) await history.putSeason(s, '2026-02-08T00:00:00.000Z');
    ({ app, close } = await championshipApp(history, Object.values(files)));
  });
  after(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  type Line = { source: string; place: number; points: number };
  type Row = { competitor: string; total: number; rounds: { detail: { lines: Line[]; notes: string[] } | null }[] };
  const standings = async (season: string): Promise<Row[]> => {
    const r = await app.inject({ method: 'GET', url: `/api/championships/${season}/standings?championship=drivers` });
    assert.equal(r.statusCode, 200, r.body);
    return (r.json() as { standings: { rows: Row[] } }).standings.rows;
  };
  const cli = async (...args: string[]): Promise<string> => {
    let out = '', err = '';
    const code = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t), cwd: ROOT });
    assert.equal(code, 0, err);
    return out;
  };

  test('Power Stage cancelled: the rally is complete (no crew still running), the National winner scores 22 and nobody Power Stage points; the workings say it was void', async () => {
    const results = JSON.parse(await cli('results', join(dir, 'cps.rally.json'), '--category', 'National', '--format', 'json')) as { rows: { car: number; status: string; position: number | null; driver: { name: string } }[] };
    assert.deepEqual(results.rows.filter((r) => r.status === 'running').map((r) => r.car), [], 'the end of the rally does not wait for the cancelled last stage');
    const winner = results.rows.find((r) => r.position === 1)!.driver.name;
    const rows = await standings('cps-2026');
    assert.deepEqual([rows[0]!.competitor, rows[0]!.total], [winner, 22]);
    assert.ok(rows.every((r) => r.rounds[0]?.detail?.lines.every((l) => l.source !== 'powerStage') ?? true), 'no Power Stage points');
    assert.ok(rows[0]!.rounds[0]!.detail!.notes.some((n) => /Power Stage void/.test(n)), rows[0]!.rounds[0]!.detail!.notes.join(' | '));
    const out = await cli('standings', '--season', 'cps-2026', '--db', `sqlite:${join(dir, 'history.db')}`, '--workings');
    assert.match(out, new RegExp(`^ {2}1\\. ${winner}: 22 =`, 'm'));
    assert.match(out, /snodrift: Power Stage void/);
    assert.doesNotMatch(out, /\+\d+ Power Stage/);
  });

  test('first leg cancelled (49.8 of 108.4 mi run, 45.9 %): a third of the points, and the workings say why, in the API and the CLI', async () => {
    const rows = await standings('short-2026');
    const final = rows[0]!.rounds[0]!.detail!.lines.find((l) => l.source === 'final')!;
    assert.equal(final.place, 1);
    assert.ok(Math.abs(final.points - 25 / 3) < 0.005, `25 × ⅓ (FMU26 Art 3.1: at least 25 % and under 50 % run), got ${final.points}`);
    const note = rows[0]!.rounds[0]!.detail!.notes.find((n) => /^shortened rally/.test(n));
    assert.ok(note && /45\.9 %/.test(note), rows[0]!.rounds[0]!.detail!.notes.join(' | '));
    const out = await cli('standings', '--season', 'short-2026', '--db', `sqlite:${join(dir, 'history.db')}`, '--workings');
    assert.match(out, /snodrift: \+8\.33 final classification, 1st/);
    assert.match(out, /snodrift: shortened rally: .*45\.9 %/);
  });
});
