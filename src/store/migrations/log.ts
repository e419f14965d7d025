// Schema of the fact log and what the server persists beside it (component
// `log`). JSON is kept as TEXT in both databases so a stored fact or snapshot
// reads back byte for byte as written (PostgreSQL's jsonb would reorder keys).
// Facts and publications are append-only: triggers refuse UPDATE and DELETE.
import type { Migration } from './runner.ts';

const SQLITE_V1 = `
CREATE TABLE rallies (
  id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE facts (
  rally_id TEXT NOT NULL REFERENCES rallies (id),
  seq INTEGER NOT NULL CHECK (seq > 0),
  fact_id TEXT NOT NULL CHECK (length(fact_id) > 0),
  type TEXT NOT NULL,
  car INTEGER,
  body TEXT NOT NULL,
  principal TEXT NOT NULL,
  device TEXT,
  received_at TEXT NOT NULL,
  PRIMARY KEY (rally_id, seq),
  UNIQUE (rally_id, fact_id)
);
CREATE INDEX facts_by_car ON facts (rally_id, car);
CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;
CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;
CREATE TABLE publications (
  rally_id TEXT NOT NULL REFERENCES rallies (id),
  number INTEGER NOT NULL CHECK (number > 0),
  kind TEXT NOT NULL CHECK (kind IN ('provisional', 'official')),
  published_at TEXT NOT NULL,
  principal TEXT NOT NULL,
  reason TEXT,
  upto_seq INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  PRIMARY KEY (rally_id, number)
);
CREATE TRIGGER publications_no_update BEFORE UPDATE ON publications BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'timekeeper', 'public')),
  rally_id TEXT,
  controls TEXT,
  label TEXT NOT NULL,
  device TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX tokens_by_rally ON tokens (rally_id);
CREATE TABLE enrollments (
  code_hash TEXT PRIMARY KEY,
  rally_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'timekeeper', 'public')),
  controls TEXT,
  label TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  used_at TEXT
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  principal TEXT NOT NULL,
  action TEXT NOT NULL,
  rally_id TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX audit_by_rally ON audit (rally_id, id);
`;

const POSTGRES_V1 = `
CREATE TABLE rallies (
  id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE facts (
  rally_id TEXT NOT NULL REFERENCES rallies (id),
  seq INTEGER NOT NULL CHECK (seq > 0),
  fact_id TEXT NOT NULL CHECK (length(fact_id) > 0),
  type TEXT NOT NULL,
  car INTEGER,
  body TEXT NOT NULL,
  principal TEXT NOT NULL,
  device TEXT,
  received_at TEXT NOT NULL,
  PRIMARY KEY (rally_id, seq),
  UNIQUE (rally_id, fact_id)
);
CREATE INDEX facts_by_car ON facts (rally_id, car);
CREATE FUNCTION rallyhq_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER facts_append_only BEFORE UPDATE OR DELETE ON facts FOR EACH ROW EXECUTE FUNCTION rallyhq_refuse_change();
CREATE TABLE publications (
  rally_id TEXT NOT NULL REFERENCES rallies (id),
  number INTEGER NOT NULL CHECK (number > 0),
  kind TEXT NOT NULL CHECK (kind IN ('provisional', 'official')),
  published_at TEXT NOT NULL,
  principal TEXT NOT NULL,
  reason TEXT,
  upto_seq INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  PRIMARY KEY (rally_id, number)
);
CREATE TRIGGER publications_append_only BEFORE UPDATE OR DELETE ON publications FOR EACH ROW EXECUTE FUNCTION rallyhq_refuse_change();
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'timekeeper', 'public')),
  rally_id TEXT,
  controls TEXT,
  label TEXT NOT NULL,
  device TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX tokens_by_rally ON tokens (rally_id);
CREATE TABLE enrollments (
  code_hash TEXT PRIMARY KEY,
  rally_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'timekeeper', 'public')),
  controls TEXT,
  label TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  used_at TEXT
);
CREATE TABLE audit (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  principal TEXT NOT NULL,
  action TEXT NOT NULL,
  rally_id TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX audit_by_rally ON audit (rally_id, id);
`;

// Locks the rallies an append group writes to (in id order, so two groups never
// deadlock) and only then looks up the facts already stored under the group's
// ids — two statements, one round trip. NOTE: each statement of a VOLATILE
// plpgsql function takes a fresh snapshot, so the lookup sees every fact
// committed by the writer that held the lock before us.
const POSTGRES_V2 = `
CREATE FUNCTION rallyhq_lock_for_append(rally_ids text[], key_rallies text[], key_facts text[]) RETURNS json
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  heads json;
  found json;
BEGIN
  SELECT json_agg(json_build_object('id', r.id, 'last_seq', r.last_seq)) INTO heads
    FROM (SELECT id, last_seq FROM rallies WHERE id = ANY (rally_ids) ORDER BY id FOR UPDATE) r;
  SELECT json_agg(f) INTO found
    FROM (SELECT x.rally_id, x.seq, x.fact_id, x.type, x.car, x.body, x.principal, x.device, x.received_at
            FROM facts x JOIN unnest(key_rallies, key_facts) AS k (rally_id, fact_id) ON x.rally_id = k.rally_id AND x.fact_id = k.fact_id) f;
  RETURN json_build_object('heads', COALESCE(heads, '[]'::json), 'found', COALESCE(found, '[]'::json));
END $$;
`;

// The desk's records (protests and their decisions, notices, acknowledgments,
// crew codes) move out of the audit trail into a table of their own whose keys
// the database keeps unique: a per-rally position, a key per record and, for
// notices, a number. The lines the audit trail already holds are copied in
// (the first of any repeated key kept), numbered in the order they were written.
const DESK_KINDS = "('protest', 'protest-decision', 'notice', 'acknowledgment', 'crew-code')";

function deskTable(appendOnly: string): string {
  return `
CREATE TABLE desk_records (
  rally_id TEXT NOT NULL REFERENCES rallies (id),
  seq INTEGER NOT NULL CHECK (seq > 0),
  kind TEXT NOT NULL CHECK (kind IN ${DESK_KINDS}),
  key TEXT NOT NULL CHECK (length(key) > 0),
  number INTEGER CHECK (number > 0),
  at TEXT NOT NULL,
  principal TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (rally_id, seq),
  UNIQUE (rally_id, key),
  CHECK ((kind = 'notice') = (number IS NOT NULL))
);
CREATE UNIQUE INDEX desk_notice_numbers ON desk_records (rally_id, number) WHERE number IS NOT NULL;
${appendOnly}`;
}

/** The copy of the audit trail's desk lines; `field(name)` reads a field of the detail JSON as text. */
function copyDeskLines(field: (name: string) => string, id: string): string {
  return `
INSERT INTO desk_records (rally_id, seq, kind, key, number, at, principal, detail)
SELECT rally_id, ROW_NUMBER() OVER (PARTITION BY rally_id ORDER BY id), action, key,
       CASE WHEN action = 'notice' THEN ROW_NUMBER() OVER (PARTITION BY rally_id, action = 'notice' ORDER BY id) END,
       at, principal, detail
  FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY rally_id, key ORDER BY id) AS nth
          FROM (SELECT a.id, a.rally_id, a.action, a.at, a.principal, a.detail,
                       CASE a.action
                         WHEN 'protest' THEN 'protest:' || ${field('id')}
                         WHEN 'protest-decision' THEN 'decision:' || ${field('protest')}
                         WHEN 'notice' THEN 'notice:' || ${field('id')}
                         WHEN 'acknowledgment' THEN 'ack:' || ${field('notice')} || ':' || ${field('car')}
                         ELSE 'code:' || ${id}
                       END AS key
                  FROM audit a
                 WHERE a.action IN ${DESK_KINDS} AND a.rally_id IN (SELECT id FROM rallies)) keyed) ranked
 WHERE nth = 1 AND key IS NOT NULL;
`;
}

const SQLITE_V3 = deskTable(`
CREATE TRIGGER desk_records_no_update BEFORE UPDATE ON desk_records BEGIN SELECT RAISE(ABORT, 'desk records are append-only'); END;
CREATE TRIGGER desk_records_no_delete BEFORE DELETE ON desk_records BEGIN SELECT RAISE(ABORT, 'desk records are append-only'); END;
`) + copyDeskLines((name) => `CAST(json_extract(a.detail, '$.${name}') AS TEXT)`, 'CAST(a.id AS TEXT)');

const POSTGRES_V3 = deskTable(`
CREATE TRIGGER desk_records_append_only BEFORE UPDATE OR DELETE ON desk_records FOR EACH ROW EXECUTE FUNCTION rallyhq_refuse_change();
`) + copyDeskLines((name) => `(a.detail::json ->> '${name}')`, 'a.id::text');

// Tokens and codes named after the person and their post; codes get an id (the
// code itself is only hashed) so they can be listed and cancelled before use.
const PEOPLE_V4 = (random: string) => `
ALTER TABLE tokens ADD COLUMN person TEXT;
ALTER TABLE tokens ADD COLUMN post TEXT;
ALTER TABLE enrollments ADD COLUMN id TEXT;
ALTER TABLE enrollments ADD COLUMN person TEXT;
ALTER TABLE enrollments ADD COLUMN post TEXT;
ALTER TABLE enrollments ADD COLUMN created_at TEXT;
ALTER TABLE enrollments ADD COLUMN cancelled_at TEXT;
ALTER TABLE enrollments ADD COLUMN token_id TEXT;
UPDATE enrollments SET id = 'enr_' || ${random} WHERE id IS NULL;
CREATE UNIQUE INDEX enrollments_by_id ON enrollments (id);
CREATE INDEX enrollments_by_rally ON enrollments (rally_id);
`;

export const LOG_COMPONENT = 'log';

export const logMigrations: readonly Migration[] = [
  { version: 1, name: 'fact log, rallies, publications, tokens, enrollments, audit', sqlite: SQLITE_V1, postgres: POSTGRES_V1 },
  // SQLite appends run in-process with no round trips: nothing to add there.
  { version: 2, name: 'PostgreSQL: lock and look up an append group in one round trip', sqlite: 'SELECT 1;', postgres: POSTGRES_V2 },
  { version: 3, name: 'desk records (protests, notices, acknowledgments, crew codes) with keys the database keeps unique', sqlite: SQLITE_V3, postgres: POSTGRES_V3 },
  { version: 4, name: 'tokens and enrollment codes: person and post; codes listed and cancelled by id', sqlite: PEOPLE_V4('lower(hex(randomblob(8)))'), postgres: PEOPLE_V4('substr(md5(random()::text || code_hash), 1, 16)') },
];
