// Faults of the database's disk are answered as what they are — the
// operator's to fix, with a resend that cannot store anything twice — not as
// a fault in rallyhq.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { problemBody, toApiError } from './problem.ts';

const request = { log: { error() {}, warn() {} }, routeOptions: {}, headers: {} } as unknown as FastifyRequest;
const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

test('SQLITE_FULL (and PostgreSQL 53100) → 507 store-full, telling to free space and resend the same ids', () => {
  for (const err of [sqliteError('SQLITE_FULL', 'database or disk is full'), sqliteError('53100', 'could not extend file: No space left on device')]) {
    const body = problemBody(toApiError(err, request));
    assert.equal(body.status, 507);
    assert.equal(body.code, 'store-full');
    assert.match(body.fix, /Free space.*same fact ids/);
  }
});

test('SQLITE_IOERR → 503 store-io-error; any other error is still a 500 internal', () => {
  assert.equal(problemBody(toApiError(sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error'), request)).code, 'store-io-error');
  assert.equal(problemBody(toApiError(new Error('boom'), request)).status, 500);
});

test('PostgreSQL refusing or dropping connections (55000, 53300, 57P01, 57P03, 08006, ECONNREFUSED, a terminated connection) → 503 store-unavailable with Retry-After', async () => {
  const { default: Fastify } = await import('fastify');
  const { installProblemHandlers } = await import('./problem.ts');
  const faults = [
    sqliteError('55000', 'object not in prerequisite state'),
    sqliteError('53300', 'sorry, too many clients already'),
    sqliteError('57P01', 'terminating connection due to administrator command'),
    sqliteError('57P03', 'the database system is starting up'),
    sqliteError('08006', 'connection failure'),
    sqliteError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    new Error('Connection terminated unexpectedly'),
  ];
  const app = Fastify();
  installProblemHandlers(app);
  faults.forEach((err, i) => app.get(`/fault/${i}`, async () => { throw err; }));
  try {
    for (let i = 0; i < faults.length; i++) {
      const r = await app.inject({ method: 'GET', url: `/fault/${i}` });
      assert.equal(r.statusCode, 503, `${(faults[i] as Error).message}: ${r.body}`);
      assert.equal(r.json().code, 'store-unavailable');
      assert.match(String(r.headers['retry-after']), /^\d+$/, 'Retry-After in seconds');
    }
  } finally {
    await app.close();
  }
});
