// Tokens and enrollment codes named after people and posts, on SQLite and
// PostgreSQL: a code for a marshal at a control is listed while it waits,
// becomes the phone's token (named after the marshal) when used, and the
// token's revocation shuts the phone out; a waiting code can be cancelled, a
// used one cannot; a post that does not fit the role is a 400 naming the
// field; a phone enrolling while the officer cancels gets one outcome only.
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgSkipReason } from '../../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from '../testing/harness.ts';

const RALLY = 'lakeshore-2026';

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`tokens and people (${kind})`, async () => {
    const skip = kind === 'postgres' ? await pgSkipReason() : null;
    let s: TestServer;
    let officer: string;
    before(async () => {
      if (skip) return;
      s = await startTestServer(kind);
      assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
      officer = await s.token('officer', RALLY);
    });
    after(async () => { if (!skip) await s.close(); });

    test('a marshal\'s code: listed waiting, used by the phone (token named after the marshal), then the token revoked → the phone gets 401', { skip: skip ?? false }, async () => {
      const made = await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { person: 'Sam Ortiz', post: 'marshal', controls: ['ss1f'] }, officer);
      assert.equal(made.statusCode, 201, made.body);
      const code = made.json() as { id: string; code: string; label: string; role: string; controls: string[]; qrSvg: string };
      assert.deepEqual([code.role, code.controls, code.label], ['timekeeper', ['SS1F'], 'Marshal SS1F — Sam Ortiz']);
      assert.match(code.id, /^enr_[0-9a-f]{16}$/);
      assert.match(code.qrSvg, /^<svg/);
      const listed = (await s.call('GET', `/api/rallies/${RALLY}/enrollments`, undefined, officer)).json() as { enrollments: Record<string, unknown>[] };
      const mine = listed.enrollments.find((e) => e.id === code.id)!;
      assert.equal(mine.state, 'waiting');
      assert.equal(mine.person, 'Sam Ortiz');
      assert.equal('codeHash' in mine, false, 'the code\'s hash is never listed');
      assert.equal(JSON.stringify(listed).includes(code.code), false, 'nor the code');

      const phone = await s.call('POST', '/api/enroll', { code: code.code, device: 'Sam\'s phone' });
      assert.equal(phone.statusCode, 201, phone.body);
      const device = phone.json() as { token: string; id: string; person: string; post: string; label: string };
      assert.deepEqual([device.person, device.post, device.label], ['Sam Ortiz', 'marshal', 'Marshal SS1F — Sam Ortiz']);
      const used = ((await s.call('GET', `/api/rallies/${RALLY}/enrollments`, undefined, officer)).json() as { enrollments: Record<string, unknown>[] }).enrollments.find((e) => e.id === code.id)!;
      assert.deepEqual([used.state, used.tokenId], ['used', device.id]);
      const tokens = (await s.call('GET', `/api/tokens?rally=${RALLY}`, undefined, officer)).json() as { tokens: Record<string, unknown>[] };
      assert.equal(tokens.tokens.find((t) => t.id === device.id)?.person, 'Sam Ortiz');

      const cancelUsed = await s.call('DELETE', `/api/rallies/${RALLY}/enrollments/${code.id}`, undefined, officer);
      assert.equal(cancelUsed.statusCode, 409);
      assert.match(cancelUsed.json().detail, new RegExp(`revoke the token it became, ${device.id}`));

      const time = { id: 'ppl-1', type: 'controlTime', car: 2, control: 'SS1F', at: '2026-03-13T18:35:10.0', source: 'manual' };
      assert.notEqual((await s.call('POST', `/api/rallies/${RALLY}/facts`, time, device.token)).statusCode, 401);
      assert.equal((await s.call('DELETE', `/api/tokens/${device.id}`, undefined, officer)).statusCode, 200);
      const after = await s.call('POST', `/api/rallies/${RALLY}/facts`, { ...time, id: 'ppl-2' }, device.token);
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().code, 'token-revoked');
    });

    test('a waiting code cancelled: listed cancelled, no longer enrolls; cancelling again answers the same; an unknown id is a 404', { skip: skip ?? false }, async () => {
      const code = (await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { person: 'Kim Lee', post: 'timekeeper', controls: ['SS2S'] }, officer)).json() as { id: string; code: string };
      const cancelled = await s.call('DELETE', `/api/rallies/${RALLY}/enrollments/${code.id}`, undefined, officer);
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().state, 'cancelled');
      assert.equal((await s.call('DELETE', `/api/rallies/${RALLY}/enrollments/${code.id}`, undefined, officer)).json().state, 'cancelled');
      const phone = await s.call('POST', '/api/enroll', { code: code.code, device: 'phone' });
      assert.equal(phone.statusCode, 400);
      assert.match(phone.json().detail, /cancelled/);
      const unknown = await s.call('DELETE', `/api/rallies/${RALLY}/enrollments/enr_nope`, undefined, officer);
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().field, 'enrollmentId');
    });

    test('people and posts: the clerk\'s officer token from the administrator; a post that does not fit the role, or nothing to name it by, is a 400 naming the field', { skip: skip ?? false }, async () => {
      const clerk = await s.call('POST', '/api/tokens', { role: 'officer', rallyId: RALLY, person: 'Dana Whitfield', post: 'clerk' }, ADMIN_TOKEN, { 'idempotency-key': randomUUID() });
      assert.equal(clerk.statusCode, 201, clerk.body);
      assert.equal(clerk.json().label, 'Clerk of the course — Dana Whitfield');
      const wrong = await s.call('POST', '/api/tokens', { role: 'timekeeper', rallyId: RALLY, controls: ['SS1F'], person: 'Dana Whitfield', post: 'steward' }, ADMIN_TOKEN, { 'idempotency-key': randomUUID() });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().field, '$.post');
      assert.match(wrong.json().detail, /a steward gets an officer token, not a timekeeper one/);
      const nameless = await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { controls: ['SS1F'] }, officer);
      assert.equal(nameless.statusCode, 400);
      assert.equal(nameless.json().field, '$.label');
      const badPost = await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { post: 'driver', controls: ['SS1F'] }, officer);
      assert.equal(badPost.statusCode, 400);
      assert.match(badPost.json().detail, /post/);
      // An officer issues timekeeper codes only: a steward's code needs the administrator.
      const steward = await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { person: 'Lee Park', post: 'steward' }, officer);
      assert.equal(steward.statusCode, 403);
      const byAdmin = await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { person: 'Lee Park', post: 'steward' }, ADMIN_TOKEN);
      assert.equal(byAdmin.statusCode, 201, byAdmin.body);
      assert.equal(byAdmin.json().role, 'officer');
      assert.equal((await s.call('DELETE', `/api/rallies/${RALLY}/enrollments/${byAdmin.json().id}`, undefined, officer)).statusCode, 403, 'an officer cancels timekeeper codes only');
    });

    test('ten phones enrolling while the officer cancels their codes: each code ends used or cancelled, and a cancelled code made no token', { skip: skip ?? false }, async () => {
      const codes = await Promise.all(Array.from({ length: 10 }, async (_, i) => (await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { person: `Marshal ${i}`, post: 'marshal', controls: ['SS2F'] }, officer)).json() as { id: string; code: string }));
      const answers = await Promise.all(codes.flatMap((c) => [
        s.call('POST', '/api/enroll', { code: c.code, device: `phone ${c.id}` }),
        s.call('DELETE', `/api/rallies/${RALLY}/enrollments/${c.id}`, undefined, officer),
      ]));
      for (const [i, c] of codes.entries()) {
        const [enroll, cancel] = [answers[2 * i]!, answers[2 * i + 1]!];
        assert.equal([enroll.statusCode === 201, cancel.statusCode === 200].filter(Boolean).length, 1, `${c.id}: enroll ${enroll.statusCode}, cancel ${cancel.statusCode}`);
        assert.ok([400, 201].includes(enroll.statusCode) && [200, 409].includes(cancel.statusCode), `${enroll.statusCode} ${cancel.statusCode}`);
      }
      const listed = ((await s.call('GET', `/api/rallies/${RALLY}/enrollments`, undefined, officer)).json() as { enrollments: { id: string; state: string; tokenId?: string }[] }).enrollments;
      const tokens = ((await s.call('GET', `/api/tokens?rally=${RALLY}`, undefined, officer)).json() as { tokens: { id: string }[] }).tokens.map((t) => t.id);
      for (const c of codes) {
        const e = listed.find((x) => x.id === c.id)!;
        assert.ok(e.state === 'used' || e.state === 'cancelled', e.state);
        if (e.state === 'used') assert.ok(e.tokenId && tokens.includes(e.tokenId));
      }
    });
  });
}
