// The seal of a publication: what a steward or a competitor needs to check an
// official result independently. It names, by hash, the exact log prefix the
// results were computed from (facts 1..uptoSeq), the rules (preset, version and
// the supplementary regulations' overrides), the rally definition and the
// classification itself, and chains to the previous publication's seal, so a
// rewritten log or a quietly changed publication breaks every later hash.
// Pure: the hash function is passed in (the server and the CLI give SHA-256).
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { Classification } from '../results.ts';
import { canonicalJson } from './canonical.ts';

export type HashText = (text: string) => string;

export interface PublicationSeal {
  /** Hash function of every field below: `sha256`, hex. */
  algorithm: 'sha256';
  /** Facts 1..uptoSeq as the rally file writes them (without `seq`), canonical JSON array. */
  logHash: string;
  /** The rules the results were computed under: preset, version and overrides. */
  rules: RallyDefinition['rules'];
  rulesHash: string;
  definitionHash: string;
  classificationHash: string;
  /** The seal hash of the previous publication of the rally; null for the first. */
  previousHash: string | null;
  /** Hash of the publication's head and every hash above: what a signature signs, what a PDF prints. */
  hash: string;
  /** Optional Ed25519 signature of `hash` by the organiser's key. */
  signature?: { algorithm: 'ed25519'; publicKey: string; value: string };
}

export interface SealHead {
  rallyId: string;
  kind: 'provisional' | 'official';
  publishedAt: string;
  uptoSeq: number;
}

/** A fact as the log prefix hash sees it: without the store's `seq` (its place in the array says it). */
export function factForHash(f: Fact): Omit<Fact, 'seq'> {
  const { seq: _seq, ...rest } = f;
  return rest;
}

export function logPrefixHash(facts: readonly Fact[], hash: HashText): string {
  return hash(canonicalJson(facts.map(factForHash)));
}

export function classificationHash(c: Classification, hash: HashText): string {
  return hash(canonicalJson(c));
}

/** The text the seal hash covers: the head and the component hashes, canonical. */
export function sealHashInput(head: SealHead, parts: Omit<PublicationSeal, 'hash' | 'signature' | 'algorithm' | 'rules'>): string {
  return canonicalJson({ ...head, ...parts });
}

export function makeSeal(
  head: SealHead,
  input: { facts: readonly Fact[]; definition: RallyDefinition; classification: Classification; previousHash: string | null },
  hash: HashText,
): PublicationSeal {
  const parts = {
    logHash: logPrefixHash(input.facts.slice(0, head.uptoSeq), hash),
    rulesHash: hash(canonicalJson(input.definition.rules)),
    definitionHash: hash(canonicalJson(input.definition)),
    classificationHash: classificationHash(input.classification, hash),
    previousHash: input.previousHash,
  };
  return { algorithm: 'sha256', ...parts, rules: input.definition.rules, hash: hash(sealHashInput(head, parts)) };
}

export interface SealCheck {
  /** What was checked, each passed or not, in words. */
  checks: { what: string; ok: boolean; detail: string }[];
  ok: boolean;
}
