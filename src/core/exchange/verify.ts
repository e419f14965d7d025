// Checking a publication against a rally file: recompute the classification
// from the file's facts 1..uptoSeq under the published definition and rules,
// and compare every hash of the seal. Used by `rallyhq verify` and by the
// server's verify route; pure (the hash function is passed in).
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { Classification } from '../results.ts';
import { resolveRules } from '../rules/resolve.ts';
import { classify, score } from '../scoring/index.ts';
import { canonicalJson } from './canonical.ts';
import { classificationHash, logPrefixHash, sealHashInput, type HashText, type PublicationSeal } from './seal.ts';

/** A publication as the public API gives it: `GET /api/rallies/:id/publications/:n`. */
export interface PublicationRecordView {
  rallyId: string;
  number: number;
  kind: 'provisional' | 'official';
  publishedAt: string;
  uptoSeq: number;
  snapshot: { definition?: RallyDefinition; classification: Classification; seal?: PublicationSeal };
}

export interface VerifyCheck { what: string; ok: boolean; detail: string }
export interface VerifyReport {
  ok: boolean;
  number: number;
  kind: string;
  hash: string | null;
  checks: VerifyCheck[];
  /** Cars whose recomputed row differs from the published one (first few). */
  differences: { car: number; published: string; recomputed: string }[];
}

function rowText(r: Classification['rows'][number] | undefined): string {
  return r ? `position ${r.position ?? '–'}, ${r.status}, total ${r.totalMs} ms, penalties ${r.penaltyMs} ms` : 'absent';
}

export function verifyPublication(
  file: { rally: RallyDefinition; facts: readonly Fact[] },
  record: PublicationRecordView,
  hash: HashText,
  /** The seal hash of publication n-1 when known (the chain is then checked too). */
  previousHash?: string | null,
): VerifyReport {
  const checks: VerifyCheck[] = [];
  const add = (what: string, ok: boolean, detail: string) => checks.push({ what, ok, detail });
  const seal = record.snapshot.seal;
  const base = { number: record.number, kind: record.kind, differences: [] as VerifyReport['differences'] };
  if (!seal) {
    add('seal', false, `publication ${record.number} carries no seal (published before rallyhq sealed publications); it cannot be verified`);
    return { ...base, ok: false, hash: null, checks };
  }
  const definition = record.snapshot.definition;
  if (!definition) {
    add('definition', false, `publication ${record.number} does not hold the definition it was computed from`);
    return { ...base, ok: false, hash: seal.hash, checks };
  }
  if (file.rally.id !== record.rallyId) add('rally', false, `the file is rally "${file.rally.id}", the publication is of rally "${record.rallyId}"`);

  const head = { rallyId: record.rallyId, kind: record.kind, publishedAt: record.publishedAt, uptoSeq: record.uptoSeq };
  const parts = { logHash: seal.logHash, rulesHash: seal.rulesHash, definitionHash: seal.definitionHash, classificationHash: seal.classificationHash, previousHash: seal.previousHash };
  const recomputedSeal = hash(sealHashInput(head, parts));
  add('seal hash', recomputedSeal === seal.hash, recomputedSeal === seal.hash ? `${seal.hash} matches the publication's head and hashes` : `the publication's fields hash to ${recomputedSeal}, not to its seal ${seal.hash}: the record was altered`);
  if (previousHash !== undefined) {
    const ok = (seal.previousHash ?? null) === (previousHash ?? null);
    add('chain', ok, ok ? (previousHash ? `chained to publication ${record.number - 1} (${previousHash})` : 'first publication of the rally') : `the seal names ${seal.previousHash ?? 'no'} previous publication, but publication ${record.number - 1} has seal ${previousHash ?? 'none'}`);
  }
  const defHash = hash(canonicalJson(definition));
  add('definition', defHash === seal.definitionHash, defHash === seal.definitionHash ? 'the published definition matches its hash' : 'the published definition does not match its hash');
  const rulesHash = hash(canonicalJson(definition.rules));
  add('rules', rulesHash === seal.rulesHash, `${definition.rules.preset} ${definition.rules.version}${definition.rules.overrides ? ` with ${Object.keys(definition.rules.overrides).length} override(s)` : ', no overrides'}${rulesHash === seal.rulesHash ? '' : ': does not match the sealed rules'}`);
  if (canonicalJson(file.rally) !== canonicalJson(definition)) {
    add('definition in the file', true, 'the file\'s definition differs from the published one (changed since); the published definition is used');
  }

  if (file.facts.length < record.uptoSeq) {
    add('log', false, `the file has ${file.facts.length} facts; publication ${record.number} was computed from the first ${record.uptoSeq}`);
    return { ...base, ok: false, hash: seal.hash, checks };
  }
  const prefix = file.facts.slice(0, record.uptoSeq);
  const logHash = logPrefixHash(prefix, hash);
  add('log', logHash === seal.logHash, logHash === seal.logHash ? `facts 1..${record.uptoSeq} of the file are the ones published` : `facts 1..${record.uptoSeq} of the file differ from the ones publication ${record.number} was computed from (hash ${logHash}, sealed ${seal.logHash})`);

  const { rules, errors } = resolveRules(definition.rules);
  if (errors.length) {
    add('rules', false, `the published rules cannot be resolved by this rallyhq: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    return { ...base, ok: false, hash: seal.hash, checks };
  }
  const state = score(definition, rules, prefix);
  const recomputed = classify(state);
  const cHash = classificationHash(recomputed, hash);
  const classified = (c: typeof recomputed) => c.rows.filter((r) => r.position !== null).length;
  // A rally with categories: the seal holds the first category's table; the others are bound by the same log, rules and definition.
  const others = (definition.categories ?? []).filter((c) => c.code !== recomputed.category);
  const categoryNote = recomputed.category
    ? ` (${recomputed.category}; ${others.map((c) => `${c.code}: ${classified(classify(state, { category: c.code }))} classified crews`).join(', ')} recomputed from the same sealed log, rules and definition)`
    : '';
  add('classification', cHash === seal.classificationHash, cHash === seal.classificationHash ? `recomputed from the file, ${classified(recomputed)} classified crews${categoryNote}, identical to the sealed classification` : 'the classification recomputed from the file differs from the sealed one');
  const publishedHash = classificationHash(record.snapshot.classification, hash);
  add('published table', publishedHash === seal.classificationHash, publishedHash === seal.classificationHash ? 'the published table is the sealed classification' : 'the published table differs from the sealed classification');

  const published = new Map(record.snapshot.classification.rows.map((r) => [r.car, r]));
  const differences: VerifyReport['differences'] = [];
  for (const r of recomputed.rows) {
    const p = published.get(r.car);
    if (!p || p.position !== r.position || p.totalMs !== r.totalMs || p.status !== r.status || p.penaltyMs !== r.penaltyMs) {
      differences.push({ car: r.car, published: rowText(p), recomputed: rowText(r) });
    }
  }
  return { ...base, ok: checks.every((c) => c.ok), hash: seal.hash, checks, differences };
}
