// `rallyhq verify <file> --publication n`: recompute a published
// classification from a rally file and check it against the publication's seal
// (log prefix, rules, definition, classification, chain, signature). The
// publication comes from the rally's server (`--server`, public read API) or
// from a saved copy of `GET /api/rallies/:id/publications/:n` (`--record`).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { rallyCommand } from '../rally-command.ts';
import { EXIT } from '../args.ts';
import { toJson } from '../format/json.ts';
import { verifyPublication, type PublicationRecordView, type VerifyReport } from '../../core/exchange/verify.ts';
import { publicKeyLine, sha256, signatureValid } from '../../server/documents/seal.ts';

const usage = `usage: rallyhq verify <file> --publication n (--server URL | --record FILE) [--public-key PEM] [--format text|json]

Recomputes publication n of a rally from a rally file (its export) and checks
it against the publication's seal: the hash of facts 1..uptoSeq of the file,
the rules (preset, version, overrides), the definition, the classification
recomputed under them, the chain to publication n-1, and the organiser's
signature when there is one. Prints each check and the seal hash, which is
the one printed on the publication's PDF documents.

  --publication n   the publication's number (1, 2, 3…)
  --server URL      the rally's rallyhq server, e.g. https://results.example.org;
                    reads GET /api/rallies/<id>/publications/n (and n-1)
  --record FILE     instead of --server: a saved copy of that answer (JSON)
  --public-key PEM  the organiser's Ed25519 public key (PEM file): the signature
                    must be by this key (without it, by the key the seal names)
  --format F        text (default) or json

Reads: <file>, FILE or the server. Writes: stdout.
Exit codes: 0 verified; 1 a check failed, or the file or publication cannot be read;
2 bad flag.

example: rallyhq verify snodrift-2026.rally.json --publication 2 --server http://127.0.0.1:3000
`;

async function fetchJson(url: string): Promise<{ ok: true; json: unknown } | { ok: false; message: string }> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) return { ok: false, message: `${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}` };
    return { ok: true, json: await res.json() };
  } catch (e) {
    return { ok: false, message: `cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function isRecord(x: unknown): x is PublicationRecordView {
  const r = x as PublicationRecordView;
  return !!r && typeof r === 'object' && typeof r.number === 'number' && typeof r.uptoSeq === 'number' && !!r.snapshot && typeof r.snapshot === 'object';
}

function reportText(r: VerifyReport, rallyId: string): string {
  const lines = [`publication ${r.number} (${r.kind}) of ${rallyId}: ${r.ok ? 'VERIFIED' : 'NOT VERIFIED'}`];
  if (r.hash) lines.push(`seal ${r.hash}`);
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.what}: ${c.detail}`);
  if (r.differences.length) {
    lines.push('', `cars whose recomputed result differs from the published one (${r.differences.length}):`);
    for (const d of r.differences.slice(0, 20)) lines.push(`  car ${d.car}: published ${d.published}; recomputed ${d.recomputed}`);
  }
  return lines.join('\n') + '\n';
}

export const command = rallyCommand({
  name: 'verify',
  summary: 'recompute a publication from a rally file and check its seal (log, rules, classification, chain, signature)',
  usage,
  flags: { publication: { type: 'string' }, server: { type: 'string' }, record: { type: 'string' }, 'public-key': { type: 'string' } },
  formats: ['text', 'json'],
  required: { publication: 'missing --publication n: which publication to verify (1, 2, 3…)' },
  async run(r) {
    const n = Number(r.flag('publication'));
    if (!Number.isInteger(n) || n < 1) r.fail(`--publication ${r.flag('publication') ?? ''}: give a publication number, 1 or more`);
    const server = r.flag('server');
    const recordPath = r.flag('record');
    if (!server === !recordPath) r.fail('give exactly one of --server URL (the rally\'s rallyhq server) or --record FILE (a saved publication)');
    const rallyId = r.rally.definition.id;
    let record: unknown;
    let previousHash: string | null | undefined;
    if (server) {
      const base = `${server.replace(/\/+$/, '')}/api/rallies/${encodeURIComponent(rallyId)}/publications`;
      const got = await fetchJson(`${base}/${n}`);
      if (!got.ok) { r.io.err(`rallyhq verify: ${got.message}\n`); return EXIT.dataError; }
      record = got.json;
      if (n === 1) previousHash = null;
      else {
        const prev = await fetchJson(`${base}/${n - 1}`);
        if (prev.ok && isRecord(prev.json)) previousHash = prev.json.snapshot.seal?.hash ?? null;
      }
    } else {
      try {
        record = JSON.parse(await readFile(resolve(r.io.cwd, recordPath!), 'utf8'));
      } catch (e) {
        r.io.err(`rallyhq verify: cannot read --record ${recordPath}: ${e instanceof Error ? e.message : String(e)}\n`);
        return EXIT.dataError;
      }
    }
    if (!isRecord(record)) { r.io.err('rallyhq verify: the publication is not a rallyhq publication record (number, uptoSeq, snapshot)\n'); return EXIT.dataError; }
    if (record.number !== n) { r.io.err(`rallyhq verify: the record is publication ${record.number}, not ${n}\n`); return EXIT.dataError; }
    const report = verifyPublication({ rally: r.rally.definition, facts: r.rally.facts }, record, sha256, previousHash);
    const seal = record.snapshot.seal;
    if (seal?.signature) {
      let pem: string | undefined;
      const keyPath = r.flag('public-key');
      if (keyPath) {
        try {
          pem = await readFile(resolve(r.io.cwd, keyPath), 'utf8');
        } catch (e) {
          r.io.err(`rallyhq verify: cannot read --public-key ${keyPath}: ${e instanceof Error ? e.message : String(e)}\n`);
          return EXIT.dataError;
        }
      }
      const ok = signatureValid(seal, pem);
      const signer = publicKeyLine(pem ?? seal.signature.publicKey);
      report.checks.push({ what: 'signature', ok, detail: ok ? `Ed25519 signature of the seal hash by ${keyPath ? `the key given (${signer})` : `the key the seal names (${signer}; give --public-key to check it is the organiser's)`} is valid` : `the signature does not verify with ${keyPath ? `the key given (${signer})` : 'the key the seal names'}` });
      report.ok = report.ok && ok;
    } else if (r.flag('public-key')) {
      report.checks.push({ what: 'signature', ok: false, detail: 'a public key was given but the publication is not signed' });
      report.ok = false;
    }
    if (r.format === 'json') r.io.out(toJson({ rallyId, ...report }));
    else r.io.out(reportText(report, rallyId));
    return report.ok ? EXIT.ok : EXIT.dataError;
  },
});
