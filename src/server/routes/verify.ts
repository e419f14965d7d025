// GET /api/rallies/:id/publications/:n/verify — recomputes publication n from
// the rally's log as the server holds it now (the same check `rallyhq verify`
// makes from an export) and answers every check, so anyone can see that the
// log behind an official result has not been rewritten since.
import type { FastifyInstance } from 'fastify';
import { verifyPublication, type PublicationRecordView } from '../../core/exchange/verify.ts';
import type { ServerContext } from '../context.ts';
import { sealOf } from '../documents/publish.ts';
import { publicKeyLine, sha256, signatureValid } from '../documents/seal.ts';
import { apiError } from '../problem.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

export async function registerVerifyRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Params: { id: string; n: number } }>('/api/rallies/:id/publications/:n/verify', {
    schema: {
      summary: 'Recompute publication n from the log and check its seal (log prefix, rules, definition, classification, chain, signature)',
      tags: ['publications'],
      params: { type: 'object', required: ['id', 'n'], properties: { id: rallyParams.properties.id, n: { type: 'integer', minimum: 1 } } },
      response: { 200: anyObject('{ ok, number, kind, hash, checks: [{ what, ok, detail }], differences, signature: { algorithm, publicKey, publicKeyLine, value } | null }'), ...errorResponses },
    },
  }, async (request) => {
    const { id, n } = request.params;
    const e = await ctx.rally(id);
    const p = await ctx.store.getPublication(id, n);
    if (!p) throw apiError('publication-not-found', `n: rally "${id}" has no publication ${n}.`, 'n');
    const prev = n > 1 ? await ctx.store.getPublication(id, n - 1) : null;
    const report = verifyPublication(
      { rally: e.definition, facts: e.facts.map((sf) => sf.fact) },
      { ...p, snapshot: p.snapshot as PublicationRecordView['snapshot'] },
      sha256,
      n === 1 ? null : prev ? sealOf(prev)?.hash ?? null : undefined,
    );
    const seal = sealOf(p);
    if (seal?.signature) {
      const ok = signatureValid(seal);
      report.checks.push({ what: 'signature', ok, detail: ok ? `Ed25519 signature of the seal hash by the key ${publicKeyLine(seal.signature.publicKey)} is valid` : 'the signature does not verify' });
      report.ok = report.ok && ok;
    }
    // The key is the one the seal names: compare it with the one the organiser published (rallyhq verify --public-key does).
    const signature = seal?.signature ? { algorithm: seal.signature.algorithm, publicKey: seal.signature.publicKey, publicKeyLine: publicKeyLine(seal.signature.publicKey), value: seal.signature.value } : null;
    return { rallyId: id, ...report, signature };
  });
}
