// Posts and the access they get (docs/operations.md "Roles and tokens"): HQ
// people on officer tokens, people at controls on timekeeper tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peopleLabel, postRoleProblem } from './posts.ts';

test('clerk, steward and results fit an officer token; timekeeper and marshal a timekeeper token; anything else is named with the fix', () => {
  for (const p of ['clerk', 'steward', 'results']) assert.equal(postRoleProblem(p, 'officer'), null, p);
  for (const p of ['timekeeper', 'marshal']) assert.equal(postRoleProblem(p, 'timekeeper'), null, p);
  assert.equal(postRoleProblem('marshal', 'officer'), 'a marshal gets a timekeeper token, not an officer one; set role to "timekeeper" or pick another post');
  assert.match(postRoleProblem('clerk', 'admin')!, /clerk of the course gets an officer token, not an admin one/);
  assert.match(postRoleProblem('driver', 'officer')!, /no post "driver"; use one of clerk, steward, results, timekeeper, marshal/);
});

test('labels read as people say them: post, controls, person', () => {
  assert.equal(peopleLabel('marshal', 'Sam Ortiz', ['SS3F']), 'Marshal SS3F — Sam Ortiz');
  assert.equal(peopleLabel('clerk', 'Dana Whitfield'), 'Clerk of the course — Dana Whitfield');
  assert.equal(peopleLabel(undefined, 'Dana Whitfield'), 'Dana Whitfield');
  assert.equal(peopleLabel('timekeeper', ' ', ['SS1S', 'SS1F']), 'Timekeeper SS1S, SS1F');
});
