// One official document for a rally: from the current log (a draft, marked
// as such) or from publication n (scored again from facts 1..uptoSeq under
// the definition it declared: the same data, the same numbers, its seal).
import type { Fact } from '../../core/facts.ts';
import type { RallyDefinition } from '../../core/model.ts';
import { resolveRules } from '../../core/rules/resolve.ts';
import { score } from '../../core/scoring/index.ts';
import type { PublicationRecord } from '../../store/contract.ts';
import type { RallyEntry } from '../rally-states.ts';
import { buildDocument, DOCUMENT_KINDS, type DocumentKind, type DocumentQuery, type OfficialDocument } from './content.ts';
import { renderPdf, type DocumentMeta } from './pdf.ts';
import { sealOf } from './publish.ts';
import { publicKeyLine } from './seal.ts';

/** `2026-02-07 18:32 EST`: an instant in the rally's zone, with the zone's name. */
export function localWithZone(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName} (${timeZone})`;
}

function rallyLine(def: RallyDefinition): string {
  const dates = def.startDate === def.endDate ? def.startDate : `${def.startDate} to ${def.endDate}`;
  return [dates, def.country, def.championshipRound, `rules ${def.rules.preset} ${def.rules.version}`].filter(Boolean).join('  ·  ');
}

export function documentNumber(n: number, kind: DocumentKind, q: DocumentQuery): string {
  const qualifier = q.stage ?? q.after ?? q.leg ?? q.fact ?? '';
  return `${n}.${DOCUMENT_KINDS.indexOf(kind) + 1}${qualifier ? `-${qualifier}` : ''}${q.category ? `-${q.category}` : ''}${q.class ? `-${q.class}` : ''}`;
}

export interface RenderedDocument { doc: OfficialDocument; pdf: Buffer; meta: DocumentMeta }

export async function draftDocument(e: RallyEntry, kind: DocumentKind, q: DocumentQuery, nowIso: string): Promise<RenderedDocument> {
  const doc = buildDocument(kind, { definition: e.definition, rules: e.rules, state: e.state, facts: e.facts.map((sf) => sf.fact) }, q);
  const meta: DocumentMeta = {
    rallyName: e.definition.name, rallyLine: rallyLine(e.definition), status: 'draft', number: null,
    publishedAt: `printed ${localWithZone(nowIso, e.definition.timeZone)}`, sealHash: null, signed: false, signatory: doc.signatory ?? 'Clerk of the Course',
  };
  return { doc, meta, pdf: await renderPdf(doc, meta) };
}

export async function publishedDocument(e: RallyEntry, p: PublicationRecord, kind: DocumentKind, q: DocumentQuery): Promise<RenderedDocument> {
  const snap = p.snapshot as { definition?: RallyDefinition };
  const definition = snap.definition ?? e.definition;
  const { rules } = resolveRules(definition.rules);
  const facts: Fact[] = e.facts.slice(0, p.uptoSeq).map((sf) => sf.fact);
  const state = score(definition, rules, facts);
  const doc = buildDocument(kind, { definition, rules, state, facts }, q);
  const seal = sealOf(p);
  const meta: DocumentMeta = {
    rallyName: definition.name, rallyLine: rallyLine(definition), status: p.kind, number: documentNumber(p.number, kind, q),
    publishedAt: localWithZone(p.publishedAt, definition.timeZone), sealHash: seal?.hash ?? null, signed: !!seal?.signature,
    signature: seal?.signature ? { publicKeyLine: publicKeyLine(seal.signature.publicKey), value: seal.signature.value } : null, publication: p.number,
    signatory: doc.signatory ?? 'Clerk of the Course',
  };
  return { doc, meta, pdf: await renderPdf(doc, meta) };
}
