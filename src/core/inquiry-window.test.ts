// The inquiry window runs from the latest provisional publication for the
// rules' inquiryWindowMin; an official publication after it closes it.
// SEE: rally-rules §5 — provisional, then final (FMU26 Art 64.2 [T]); the US
// inquiry window of 30 minutes after provisional scores are posted (NASA-INQ [V]),
// which the msuk and ara presets assume (unconfirmed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inquiryWindow, type PublicationMoment } from './inquiry-window.ts';
import { getPreset } from './rules/presets/index.ts';

const at = (hhmm: string): number => Date.parse(`2026-02-07T${hhmm}:00Z`);
const thirty = getPreset('msuk')!.inquiryWindowMin;

test('30 minutes (NASA-INQ) after a provisional at 18:00: open at 18:29, closed at 18:30 exactly', () => {
  const pubs: PublicationMoment[] = [{ number: 1, kind: 'provisional', atMs: at('18:00') }];
  assert.equal(thirty.value, 30);
  const w = inquiryWindow(thirty, pubs, at('18:29'));
  assert.deepEqual([w.open, w.provisional, w.startedAtMs, w.endsAtMs, w.remainingMs], [true, 1, at('18:00'), at('18:30'), 60_000]);
  assert.equal(w.confirmed, false, 'the msuk window is assumed from NASA-INQ, not confirmed');
  const closed = inquiryWindow(thirty, pubs, at('18:30'));
  assert.deepEqual([closed.open, closed.remainingMs], [false, 0]);
});

test('no provisional since the last official publication: no window', () => {
  const w = inquiryWindow(thirty, [{ number: 1, kind: 'provisional', atMs: at('18:00') }, { number: 2, kind: 'official', atMs: at('18:40') }], at('18:41'));
  assert.deepEqual([w.open, w.provisional, w.startedAtMs, w.endsAtMs], [false, null, null, null]);
  assert.equal(inquiryWindow(thirty, [], at('18:00')).provisional, null);
});

test('a second provisional restarts the window from its own time', () => {
  const w = inquiryWindow(thirty, [{ number: 1, kind: 'provisional', atMs: at('18:00') }, { number: 2, kind: 'provisional', atMs: at('18:20') }], at('18:45'));
  assert.deepEqual([w.open, w.provisional, w.endsAtMs], [true, 2, at('18:50')]);
});

test('property: open exactly while now is before the provisional time + the window; remaining never negative', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 180 }), fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: -100_000_000, max: 100_000_000 }), (min, t0, dt) => {
    const w = inquiryWindow({ value: min, rule: 'SR 20', confirmed: true }, [{ number: 3, kind: 'provisional', atMs: t0 }], t0 + dt);
    assert.equal(w.open, dt < min * 60_000);
    assert.equal(w.remainingMs, Math.max(0, min * 60_000 - dt));
  }));
});
