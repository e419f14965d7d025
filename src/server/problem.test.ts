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
