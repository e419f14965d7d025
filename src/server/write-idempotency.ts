// How each write route keeps a retry from doing its change twice. Every
// POST/PUT/PATCH/DELETE route is listed here; a test reads the app's route
// table and fails on a write route missing from this list, and sends every
// `key` route a request without its id and Idempotency-Key (refused: 400
// idempotency-key-required). SEE: docs/api.md "Idempotency of every write".

export type WritePolicy =
  /** Needs an Idempotency-Key header: it makes something new each time (a token, a publication). */
  | 'key'
  /** Needs an `id` in the body or an Idempotency-Key (which becomes the id): a decision, a protest, a notice. */
  | 'id-or-key'
  /** Each fact carries its own id: a resend is acknowledged as a duplicate. */
  | 'fact-ids'
  /** The body names what it creates (a rally id, a car number, a round id) or the version it read: a repeat answers 409, never a second copy. */
  | 'natural-key'
  /** Doing it again leaves the same state (a revocation, a replacement, an acknowledgment that keeps the first time). */
  | 'same-state'
  /** Nothing is stored (a preview, a plan). */
  | 'no-write'
  /**
   * A one-time credential for a device the HQ page enrolls: a retry issues
   * another code; the lost one is never shown to anyone and expires unused.
   * NOTE: the HQ page sends no Idempotency-Key here yet; the key is honoured when sent.
   */
  | 'one-time-credential';

export const WRITE_POLICIES: Readonly<Record<string, WritePolicy>> = {
  'POST /api/rallies': 'natural-key',
  'POST /api/rallies/import': 'natural-key',
  'PUT /api/rallies/:id/itinerary': 'natural-key',
  'PUT /api/rallies/:id/rules': 'natural-key',
  'PUT /api/rallies/:id/entries': 'natural-key',
  'POST /api/rallies/:id/entries': 'natural-key',
  'PATCH /api/rallies/:id/entries/:car': 'same-state',
  'POST /api/rallies/:id/entries/:car/withdrawal': 'natural-key',
  'POST /api/rallies/:id/entries/:car/substitution': 'natural-key',
  'POST /api/rallies/:id/entries/import': 'natural-key',
  'POST /api/rallies/:id/start-lists/:leg/preview': 'no-write',
  'PUT /api/rallies/:id/start-lists/:leg': 'same-state',
  'POST /api/rallies/:id/facts': 'fact-ids',
  'POST /api/rallies/:id/penalties': 'id-or-key',
  'POST /api/rallies/:id/retirements': 'id-or-key',
  'POST /api/rallies/:id/restarts': 'id-or-key',
  'POST /api/rallies/:id/exclusions': 'id-or-key',
  'POST /api/rallies/:id/notional-times': 'id-or-key',
  'POST /api/rallies/:id/stage-maximums': 'id-or-key',
  'POST /api/rallies/:id/delayed-starts': 'id-or-key',
  'POST /api/rallies/:id/stage-cancellations': 'id-or-key',
  'POST /api/rallies/:id/corrections': 'id-or-key',
  'POST /api/rallies/:id/preview': 'no-write',
  'POST /api/rallies/:id/protests': 'id-or-key',
  'POST /api/rallies/:id/protests/:pid/decision': 'natural-key',
  'POST /api/rallies/:id/notices': 'id-or-key',
  'POST /api/rallies/:id/crew-codes': 'same-state',
  'POST /api/rallies/:id/notices/:n/acknowledgments': 'same-state',
  'POST /api/rallies/:id/publications': 'key',
  'POST /api/tokens': 'key',
  'DELETE /api/tokens/:tokenId': 'same-state',
  'POST /api/rallies/:id/enrollments': 'one-time-credential',
  'DELETE /api/rallies/:id/enrollments/:enrollmentId': 'same-state',
  'POST /api/enroll': 'natural-key',
  'PUT /api/rallies/:id/crews/:car/push': 'same-state',
  'DELETE /api/rallies/:id/crews/:car/push': 'same-state',
  'POST /api/rallies/:id/imports/preview': 'no-write',
  'POST /api/rallies/:id/imports': 'fact-ids',
  'POST /api/rallies/:id/imports/quarantine/:qid/resolve': 'natural-key',
  'PUT /api/championships/:season/rounds/:round/results': 'same-state',
  'POST /api/championships': 'natural-key',
  'POST /api/championships/:season/rounds': 'natural-key',
  'PATCH /api/championships/:season/rounds/:round': 'same-state',
  'PUT /api/championships/:season/championships/:championship': 'same-state',
  'POST /api/history/import': 'natural-key',
};
