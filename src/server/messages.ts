// Messages for people: every error code the API can answer with, its title,
// and the fix to suggest. Routes raise `apiError(code, detail, …)`; the
// mapper in problem.ts turns it into problem+json. One place, so the wording
// stays consistent and a translator (or a reviewer) finds it all here.

export interface ProblemText {
  status: number;
  title: string;
  /** What to do about it, when the detail does not already say. */
  fix: string;
}

export const PROBLEMS = {
  // 400: the request itself
  'malformed-json': { status: 400, title: 'Malformed JSON', fix: 'Send a valid JSON document with Content-Type: application/json.' },
  'empty-body': { status: 400, title: 'Empty body', fix: 'Send a JSON body, or drop the Content-Type header when there is none.' },
  'bad-request': { status: 400, title: 'Bad request', fix: 'Correct the named field and send the request again.' },
  'invalid-field': { status: 400, title: 'Invalid field', fix: 'Correct the named field and send the request again.' },
  'invalid-fact': { status: 400, title: 'Invalid fact', fix: 'Correct the fields listed in `errors` (each by JSON path) and resend; nothing was stored.' },
  'invalid-rally': { status: 400, title: 'Invalid rally', fix: 'Correct the fields listed in `errors` (each by JSON path) and resend; nothing was stored.' },
  'invalid-itinerary': { status: 400, title: 'Itinerary refused', fix: 'Correct what `errors` lists (each names the control or stage, the field and the fix) and send it again; nothing was stored. Warnings are stored with the itinerary.' },
  'invalid-rally-file': { status: 400, title: 'Invalid rally file', fix: 'Correct the fields listed in `errors` (each by JSON path) and import again; nothing was stored. `rallyhq validate <file>` shows the same list.' },
  'reason-required': { status: 400, title: 'Reason required', fix: 'Corrections and decisions need a `reason` saying why, e.g. "time card shows 19:32".' },
  'supersedes-required': { status: 400, title: 'Correction target required', fix: 'Give `supersedes`: the id of the fact this one corrects.' },
  'unknown-fact': { status: 400, title: 'Unknown fact', fix: 'Give the id of a fact already in this rally\'s log (GET /api/rallies/:id/facts lists them).' },
  'duplicate-id-in-batch': { status: 400, title: 'Duplicate fact id in batch', fix: 'Give every fact in a batch its own id.' },
  'bad-time': { status: 400, title: 'Bad time', fix: 'Give a time as ISO 8601 with offset (2026-02-07T15:00:00Z) or rally-local (2026-02-07T10:00).' },
  'unknown-stage': { status: 400, title: 'Unknown stage', fix: 'Use a stage code of this rally (GET /api/rallies/:id/itinerary).' },
  'unknown-class': { status: 400, title: 'Unknown class', fix: 'Use a class code of this rally (GET /api/rallies/:id/entries).' },
  'unknown-leg': { status: 400, title: 'Unknown leg', fix: 'Use a leg id of this rally (GET /api/rallies/:id/itinerary).' },
  'unknown-category': { status: 400, title: 'Unknown category', fix: 'Use a category code of this rally (its definition lists them under categories), or leave category out for the first one.' },
  'unknown-control': { status: 400, title: 'Unknown control', fix: 'Use a control id of this rally\'s itinerary (GET /api/rallies/:id/itinerary), or a stage code.' },
  'unknown-car': { status: 400, title: 'Unknown car', fix: 'Use a car number from the entry list (GET /api/rallies/:id/entries).' },
  'bad-enrollment-code': { status: 400, title: 'Enrollment code not accepted', fix: 'Codes work once and expire; ask the results officer for a new one.' },
  'id-mismatch': { status: 400, title: 'Rally id mismatch', fix: 'The rally id in the body must match the one in the URL.' },
  // 401/403: who is asking
  'token-missing': { status: 401, title: 'Token required', fix: 'Send Authorization: Bearer <token>. Officers get tokens from the administrator; marshal phones by enrollment code.' },
  'token-unknown': { status: 401, title: 'Token not recognised', fix: 'Check the token was copied whole; it is shown only once when issued. Ask for a new one if it is lost.' },
  'token-revoked': { status: 401, title: 'Token revoked', fix: 'This token was revoked; ask the results officer for a new one.' },
  'token-wrong-rally': { status: 403, title: 'Token is for another rally', fix: 'Use a token issued for this rally.' },
  'token-wrong-control': { status: 403, title: 'Not your control', fix: 'A timekeeper token writes only at the controls it was issued for; ask the results officer.' },
  'token-wrong-role': { status: 403, title: 'Not allowed for this role', fix: 'Ask someone with the needed role (results officer or administrator).' },
  // 404/409/412/413/415
  'not-found': { status: 404, title: 'Not found', fix: 'Check the URL; GET /openapi.json lists every route.' },
  'too-many-requests': { status: 429, title: 'Too many requests', fix: 'Wait the seconds in Retry-After; poll with If-None-Match so an unchanged answer costs a 304.' },
  'rally-not-found': { status: 404, title: 'Unknown rally', fix: 'List rallies with GET /api/rallies.' },
  'stage-not-found': { status: 404, title: 'Unknown stage', fix: 'Use a stage code of this rally (GET /api/rallies/:id/itinerary).' },
  'car-not-found': { status: 404, title: 'Unknown car', fix: 'Use a car number from the entry list (GET /api/rallies/:id/entries).' },
  'publication-not-found': { status: 404, title: 'Unknown publication', fix: 'List publications with GET /api/rallies/:id/publications.' },
  'token-not-found': { status: 404, title: 'Unknown token', fix: 'List tokens with GET /api/tokens.' },
  'push-disabled': { status: 409, title: 'No push notifications on this server', fix: 'Follow the crew on its page instead; the organiser turns notifications on with --push-subject (docs/live.md).' },
  'rally-exists': { status: 409, title: 'Rally already exists', fix: 'Choose another rally id, or change the existing rally with PUT …/entries and PUT …/itinerary.' },
  'entry-conflict': { status: 409, title: 'Entry list conflict', fix: 'Read the entry list again (GET /api/rallies/:id/entries): the number is taken or the crew has already withdrawn.' },
  'version-conflict': { status: 409, title: 'Changed by someone else', fix: 'Read the current version (GET), reapply your change to it and send it with that version.' },
  'rules-invalid': { status: 409, title: 'Rules choice has errors', fix: 'Fix the rally\'s rules (preset, version, overrides) with the listed errors before publishing.' },
  'publication-blocked': { status: 409, title: 'Official classification blocked', fix: 'Resolve what `blockers` lists (GET /api/rallies/:id/publication-check), or publish with override.reason saying why it goes out anyway (recorded).' },
  'enrollment-not-found': { status: 404, title: 'Unknown enrollment code', fix: 'List the rally\'s codes with GET /api/rallies/:id/enrollments and use the id shown there.' },
  'enrollment-used': { status: 409, title: 'Enrollment code already used', fix: 'The code became a device token: revoke that token (DELETE /api/tokens/:tokenId) to stop the phone.' },
  'protest-not-found': { status: 404, title: 'Unknown protest', fix: 'List protests with GET /api/rallies/:id/protests.' },
  'protest-decided': { status: 409, title: 'Protest already decided', fix: 'A decided protest stays decided; record an appeal about the same crew if the decision is challenged.' },
  'notice-not-found': { status: 404, title: 'Unknown notice', fix: 'List the notice board with GET /api/rallies/:id/notices.' },
  'crew-code-wrong': { status: 403, title: 'Crew code not accepted', fix: 'Use the crew code the results officer gave this crew (on its link or QR code); ask for a new one if it is lost.' },
  'already-superseded': { status: 409, title: 'This time was already corrected or withdrawn', fix: 'Ask HQ: a time HQ has corrected or withdrawn is theirs to change again.' },
  'facts-in-the-way': { status: 409, title: 'Stored facts name what this change removes', fix: 'Correct or withdraw the listed facts first (POST …/corrections; a withdrawal or correction keeps the original, so it must still name something that exists), or keep the car, stage, control or section they name.' },
  'fact-id-reused': { status: 409, title: 'Fact id already used for a different fact', fix: 'Give a new fact a new id; resend a fact only unchanged (that is answered with its original acknowledgment).' },
  'payload-too-large': { status: 413, title: 'Request too large', fix: 'Send at most 1 MiB per request; split a large batch of facts into several.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type', fix: 'Send Content-Type: application/json.' },
  // 5xx
  'idempotency-key-required': { status: 400, title: 'Id or Idempotency-Key required', fix: 'Make an id (or an Idempotency-Key header, e.g. a UUID) once per intended change and send it again on a retry, so the change is made once.' },
  'idempotency-key-reused': { status: 409, title: 'Idempotency-Key used for another request', fix: 'Make a new key for a new change; send a key again only with the very same request.' },
  'idempotency-in-progress': { status: 409, title: 'The first request with this key is still running', fix: 'Retry in a moment: you will get its answer.' },
  'too-many-attempts': { status: 429, title: 'Too many attempts', fix: 'Wait for the time given in Retry-After, then try again; check the code or token you are sending.' },
  'store-unavailable': { status: 503, title: 'Database unavailable', fix: 'Retry shortly with the same fact ids: a fact the database did store before the fault is acknowledged as a duplicate, never stored twice.' },
  'store-full': { status: 507, title: 'Database disk full', fix: 'Free space on the database\'s disk, then resend the same fact ids: a fact stored before the fault is acknowledged as a duplicate, never stored twice.' },
  'store-io-error': { status: 503, title: 'Database disk error', fix: 'Check the database\'s disk, then resend the same fact ids: a fact stored before the fault is acknowledged as a duplicate, never stored twice.' },
  'history-import-failed': { status: 503, title: 'History import failed in the database', fix: 'Fix what the database reports (space, connection), then send the same file again: what was stored is kept and nothing is imported twice.' },
  'internal': { status: 500, title: 'Internal error', fix: 'This is a fault in rallyhq, not in your request; the server log has the details.' },
} as const satisfies Record<string, ProblemText>;

export type ProblemCode = keyof typeof PROBLEMS;
