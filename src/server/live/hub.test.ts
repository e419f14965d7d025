import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LiveHub, touchedStages } from './hub.ts';
import { classification, definition, FakeSink, parseSse, row, snapshot, stageClassification, stageRow } from './test-helpers.ts';
import type { Classification } from '../../core/results.ts';
import type { LiveChange } from './source.ts';

const c0 = classification([row(3, 1, 300_000, 0)]);

/** A change from seq `from` to `to` moving car 3's total by `to` seconds (each change differs). */
function change(from: number, to: number, before: Classification): { change: LiveChange; after: Classification } {
  const after = classification([row(3, 1, 300_000 + to * 1000, 0)]);
  return { change: { rallyId: 'test-rally', fromSeq: from, toSeq: to, facts: [{ id: `f${to}`, seq: to, type: 'stageTime', car: 3, stage: 'SS1' }], before, after }, after };
}

/** Applies changes 0→1→…→n and returns the hub. */
function hubWith(n: number, ringSize = 100): LiveHub {
  const hub = new LiveHub({ ringSize, maxBufferedBytes: 1 << 20 });
  let before = c0;
  for (let i = 1; i <= n; i++) {
    const { change: ch, after } = change(i - 1, i, before);
    hub.applyChange(ch, snapshot(i, after));
    before = after;
  }
  return hub;
}

describe('live hub', () => {
  test('a new subscriber gets init with the whole picture and id = seq 0', () => {
    const hub = new LiveHub();
    const sink = new FakeSink();
    hub.subscribe(snapshot(0, c0), sink, null);
    const [init] = sink.events();
    assert.equal(init?.event, 'init');
    assert.equal(init?.id, '0');
    const data = init?.data as { rows: { car: number }[]; entries: { car: number; driver: string }[] };
    assert.deepEqual(data.rows.map((r) => r.car), [3]);
    assert.deepEqual(data.entries.map((e) => e.car), [3, 7, 9]);
  });

  test('one change reaches 3 subscribers as the very same bytes (serialised once)', () => {
    const hub = new LiveHub();
    const sinks = [new FakeSink(), new FakeSink(), new FakeSink()];
    for (const s of sinks) hub.subscribe(snapshot(0, c0), s, null);
    const { change: ch, after } = change(0, 1, c0);
    hub.applyChange(ch, snapshot(1, after));
    const frames = sinks.map((s) => s.chunks[s.chunks.length - 1]);
    assert.ok(frames[0] === frames[1] && frames[1] === frames[2]);
    const [delta] = parseSse(frames[0]!.toString());
    assert.equal(delta?.event, 'delta');
    assert.equal(delta?.id, '1');
  });

  test('resume after seq 2 of 5 → exactly the deltas 3, 4, 5 and no init', () => {
    const hub = hubWith(5);
    const sink = new FakeSink();
    hub.subscribe(snapshot(5, c0), sink, 2);
    assert.deepEqual(sink.events().map((e) => [e.event, e.id]), [['delta', '3'], ['delta', '4'], ['delta', '5']]);
  });

  test('resume at the current seq 5 → nothing to send', () => {
    const hub = hubWith(5);
    const sink = new FakeSink();
    hub.subscribe(snapshot(5, c0), sink, 5);
    assert.deepEqual(sink.events(), []);
  });

  test('resume after seq 1 with a ring of 2 deltas (4, 5) → reset with the whole picture at seq 5', () => {
    const hub = hubWith(5, 2);
    const sink = new FakeSink();
    hub.subscribe(snapshot(5, c0), sink, 1);
    assert.deepEqual(sink.events().map((e) => [e.event, e.id]), [['reset', '5']]);
  });

  test('a Last-Event-ID ahead of the server (9 > 5, another database) → reset', () => {
    const hub = hubWith(5);
    const sink = new FakeSink();
    hub.subscribe(snapshot(5, c0), sink, 9);
    assert.deepEqual(sink.events().map((e) => e.event), ['reset']);
  });

  test('change 2→3 still on its way when two clients connect to a snapshot at seq 3: init client does not get delta 3 again; client resuming after 1 gets deltas 2 and 3', () => {
    const hub = hubWith(2);
    const { change: pending, after } = change(2, 3, c0);
    const atInit = new FakeSink();
    const resuming = new FakeSink();
    hub.subscribe(snapshot(3, after), atInit, null);
    hub.subscribe(snapshot(3, after), resuming, 1);
    hub.applyChange(pending, snapshot(3, after));
    assert.deepEqual(atInit.events().map((e) => [e.event, e.id]), [['init', '3']]);
    assert.deepEqual(resuming.events().map((e) => [e.event, e.id]), [['delta', '2'], ['delta', '3']]);
  });

  test('a subscriber with 2 MiB unsent (limit 1 MiB) is dropped on the next event; the others still receive it', () => {
    const hub = new LiveHub({ ringSize: 10, maxBufferedBytes: 1 << 20 });
    const slow = new FakeSink();
    const fast = new FakeSink();
    let closedWith = '';
    hub.subscribe(snapshot(0, c0), slow, null, (reason) => { closedWith = reason; });
    hub.subscribe(snapshot(0, c0), fast, null);
    slow.backlog = 2 << 20;
    const { change: ch, after } = change(0, 1, c0);
    hub.applyChange(ch, snapshot(1, after));
    assert.equal(slow.destroyed, true);
    assert.equal(closedWith, 'slow');
    assert.equal(hub.subscriberCount('test-rally'), 1);
    assert.equal(fast.events().at(-1)?.event, 'delta');
    assert.equal(hub.stats().droppedSlow, 1);
  });

  test('heartbeat is a comment line every subscriber gets', () => {
    const hub = new LiveHub();
    const sink = new FakeSink();
    hub.subscribe(snapshot(0, c0), sink, 0);
    hub.heartbeat();
    assert.deepEqual(parseSse(sink.text()).map((e) => e.comments), [['heartbeat']]);
  });

  test('delta of a new SS1 time for car 7 carries car 7 stage time only, not the earlier times of the stage', () => {
    const hub = new LiveHub();
    const sink = new FakeSink();
    hub.subscribe(snapshot(0, c0), sink, null);
    const after = classification([row(3, 1, 300_000, 0), row(7, 2, 301_000, 1_000)]);
    const ss1 = stageClassification('SS1', [stageRow(3, 1, 300_000, 0), stageRow(7, 2, 301_000, 1_000)]);
    const { delta } = hub.applyChange({ rallyId: 'test-rally', fromSeq: 0, toSeq: 1, before: c0, after, facts: [{ id: 'a', seq: 1, type: 'controlTime', car: 7, control: 'SS1F' }] }, snapshot(1, after, { SS1: ss1 }));
    assert.deepEqual(delta.stageTimes.map((s) => [s.stage, s.car, s.timeMs]), [['SS1', 7, 301_000]]);
    assert.deepEqual(delta.rows.map((r) => r.car), [7]);
  });

  test('touched stages: SS2F → SS2, stageTime SS1 → SS1, TC2 → none, retraction → cannot tell (null)', () => {
    const controls = new Map(definition.legs[0]!.sections[0]!.controls.map((c) => [c.id, c]));
    assert.deepEqual([...touchedStages([{ id: 'a', seq: 1, type: 'controlTime', control: 'SS2F' }, { id: 'b', seq: 2, type: 'stageTime', stage: 'SS1' }, { id: 'c', seq: 3, type: 'controlTime', control: 'TC2' }], controls)!].sort(), ['SS1', 'SS2']);
    assert.equal(touchedStages([{ id: 'd', seq: 4, type: 'retraction' }], controls), null);
  });

  describe('a definition change (entries, itinerary)', () => {
    const withCar = (seq: number) => ({ ...snapshot(seq, c0), definition: { ...definition, entries: [...definition.entries, { ...definition.entries[0]!, car: 42 }] } });

    test('every subscriber gets one reset with the new entries; a resume from before it gets a reset, not old deltas', () => {
      const hub = hubWith(3);
      const sinks = [new FakeSink(), new FakeSink()];
      for (const s of sinks) hub.subscribe(snapshot(3, c0), s, null);
      hub.reset(withCar(3));
      for (const s of sinks) {
        const last = s.events().at(-1);
        assert.deepEqual([last?.event, last?.id], ['reset', '3']);
        assert.ok((last?.data as { entries: { car: number }[] }).entries.some((e) => e.car === 42));
      }
      for (const from of [1, 3]) {
        const sink = new FakeSink();
        hub.subscribe(withCar(3), sink, from);
        assert.deepEqual(sink.events().map((e) => e.event), ['reset'], `resume from ${from}`);
      }
      // A new stream gets the new picture, not an init cached before the change at the same seq.
      const fresh = new FakeSink();
      hub.subscribe(withCar(3), fresh, null);
      assert.ok((fresh.events()[0]?.data as { entries: { car: number }[] }).entries.some((e) => e.car === 42));
    });

    test('facts after the reset flow as deltas again, and resume after them works', () => {
      const hub = hubWith(2);
      const sink = new FakeSink();
      hub.subscribe(snapshot(2, c0), sink, null);
      hub.reset(withCar(2));
      const { change: ch, after } = change(2, 3, c0);
      hub.applyChange(ch, withCar(3));
      assert.deepEqual(sink.events().map((e) => [e.event, e.id]), [['init', '2'], ['reset', '2'], ['delta', '3']]);
      const back = new FakeSink();
      hub.subscribe({ ...withCar(3), classification: after }, back, 3);
      assert.deepEqual(back.events(), []);
    });

    test('a rally nobody watches: nothing to reset', () => {
      assert.equal(new LiveHub().reset(snapshot(1, c0)), null);
    });
  });
});
