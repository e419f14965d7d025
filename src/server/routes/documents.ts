// Official documents as PDF:
//   GET …/publications/:n/documents/:kind.pdf   as published (status, number, time, seal)
//   GET …/documents/:kind.pdf                    a draft of the current results, marked as such
//   GET …/documents                              the kinds, with their parameters
// Kinds: entry-list, start-list (?leg=), stage-results (?stage=), classification
// (?after=&class=&category=), final-classification (?category=), penalties, retirements, decision (?fact=).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerContext } from '../context.ts';
import { DOCUMENT_KINDS, DOCUMENT_TITLES, DocumentQueryError, type DocumentKind, type DocumentQuery } from '../documents/content.ts';
import { draftDocument, publishedDocument, type RenderedDocument } from '../documents/render.ts';
import { apiError } from '../problem.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

const PARAMS: Record<DocumentKind, string[]> = {
  'entry-list': ['class'], 'start-list': ['leg'], 'stage-results': ['stage', 'class', 'category'], classification: ['after', 'class', 'category'],
  'final-classification': ['category'], penalties: [], retirements: [], decision: ['fact'],
};

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    leg: { type: 'string', minLength: 1, description: 'start-list: leg id (default: the first leg)' },
    stage: { type: 'string', minLength: 1, description: 'stage-results: stage code' },
    after: { type: 'string', minLength: 1, description: 'classification: after this stage (default: latest)' },
    class: { type: 'string', minLength: 1, description: 'entry-list, stage-results, classification: one class' },
    category: { type: 'string', minLength: 1, description: 'a rally with categories (National, Regional): stage-results and classification print this one (default: the first); final-classification every one unless this is given' },
    fact: { type: 'string', minLength: 1, description: 'decision: the id of the decision fact' },
  },
} as const;

function kindOf(file: string): DocumentKind {
  const kind = file.replace(/\.pdf$/i, '') as DocumentKind;
  if (!DOCUMENT_KINDS.includes(kind)) throw apiError('not-found', `kind: no document "${file}"; documents are ${DOCUMENT_KINDS.map((k) => `${k}.pdf`).join(', ')}.`, 'kind');
  return kind;
}

async function build(fn: () => Promise<RenderedDocument>): Promise<RenderedDocument> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DocumentQueryError) throw apiError('invalid-field', `query.${e.message}.`, `query.${e.field}`);
    throw e;
  }
}

function send(reply: FastifyReply, r: RenderedDocument, name: string) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${name}.pdf"`)
    .header('x-document-pages', String((r.pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length))
    .send(r.pdf);
}

export async function registerDocumentRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const pdfResponse = { 200: { description: 'The document, application/pdf', type: 'string', format: 'binary' }, ...errorResponses };

  app.get<{ Params: { id: string } }>('/api/rallies/:id/documents', {
    schema: { summary: 'Official documents: kinds, titles and parameters', tags: ['documents'], params: rallyParams, response: { 200: anyObject('{ documents: [{ kind, title, parameters }] }'), ...errorResponses } },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    return { rallyId: e.rallyId, documents: DOCUMENT_KINDS.map((k) => ({ kind: k, title: DOCUMENT_TITLES[k], parameters: PARAMS[k], draft: `/api/rallies/${e.rallyId}/documents/${k}.pdf` })) };
  });

  app.get<{ Params: { id: string; file: string }; Querystring: DocumentQuery }>('/api/rallies/:id/documents/:file', {
    schema: {
      summary: 'A draft of an official document from the current results (marked DRAFT, no number, no seal)',
      tags: ['documents'],
      params: { type: 'object', required: ['id', 'file'], properties: { id: rallyParams.properties.id, file: { type: 'string', description: 'e.g. classification.pdf' } } },
      querystring: querySchema,
      response: pdfResponse,
    },
  }, async (request, reply) => {
    const kind = kindOf(request.params.file);
    const e = await ctx.rally(request.params.id);
    const r = await build(() => draftDocument(e, kind, request.query, ctx.now().toISOString()));
    return send(reply, r, `${e.rallyId}-${kind}-draft`);
  });

  app.get<{ Params: { id: string; n: number; file: string }; Querystring: DocumentQuery }>('/api/rallies/:id/publications/:n/documents/:file', {
    schema: {
      summary: 'An official document as published in publication n: status, number, time of publication, seal',
      tags: ['documents'],
      params: { type: 'object', required: ['id', 'n', 'file'], properties: { id: rallyParams.properties.id, n: { type: 'integer', minimum: 1 }, file: { type: 'string', description: 'e.g. final-classification.pdf' } } },
      querystring: querySchema,
      response: pdfResponse,
    },
  }, async (request, reply) => {
    const kind = kindOf(request.params.file);
    const e = await ctx.rally(request.params.id);
    const p = await ctx.store.getPublication(e.rallyId, request.params.n);
    if (!p) throw apiError('publication-not-found', `n: rally "${e.rallyId}" has no publication ${request.params.n}.`, 'n');
    const r = await build(() => publishedDocument(e, p, kind, request.query));
    // A publication never changes, and neither does what is printed from it.
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return send(reply, r, `${e.rallyId}-${p.number}-${kind}`);
  });
}
