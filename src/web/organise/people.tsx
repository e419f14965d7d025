// Tokens and people: who works on the rally, in which post, with which token
// or enrollment code. The organiser issues a code for a marshal's phone (shown
// as a QR code to scan at the briefing) or a token for a laptop at HQ, and
// revokes a lost phone in two clicks: Revoke, then confirm. Codes and tokens
// are named after the person and their post (src/core/people/posts.ts).
import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog } from '../lib/ui/confirm-dialog.tsx';
import { newId } from '../lib/ui/ids.ts';
import { POSTS, postById } from '../../core/people/posts.ts';
import { rallyId, rallyPath, read, remove, say, write } from './state.ts';

interface TokenRow { id: string; role: string; rallyId?: string; controls?: string[]; label: string; device?: string; person?: string; post?: string; createdAt: string; createdBy: string; revokedAt?: string }
interface CodeRow { id: string | null; state: 'waiting' | 'used' | 'expired' | 'cancelled'; role: string; controls?: string[]; label: string; person?: string; post?: string; createdAt?: string; expiresAt: string; usedAt?: string; cancelledAt?: string; tokenId?: string }
interface Issued { kind: 'code'; label: string; code: string; link: string; qrSvg: string; expiresAt: string }
interface IssuedToken { kind: 'token'; label: string; token: string }
interface Itinerary { timeZone: string; legs: { sections: { controls: { id: string }[] }[] }[]; stages: { code: string }[] }

const value = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

/** A date and clock time in the rally's zone, with the zone shown: `Feb 6, 18:04 EST`. */
function when(iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(new Date(iso));
  } catch {
    return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  }
}

const postName = (id: string | undefined): string => (id ? postById(id)?.name ?? id : '—');
const postOrder = (id: string | undefined): number => { const i = POSTS.findIndex((p) => p.id === id); return i < 0 ? POSTS.length : i; };

function IssueForm(p: { isAdmin: boolean; controls: string[]; onIssued: (x: Issued | IssuedToken) => void }) {
  const [person, setPerson] = useState('');
  const [post, setPost] = useState('marshal');
  const [controls, setControls] = useState('');
  const [how, setHow] = useState<'code' | 'token'>('code');
  const [hours, setHours] = useState('12');
  const def = postById(post)!;
  const needsAdmin = def.role !== 'timekeeper' && !p.isAdmin;
  async function submit(e: Event) {
    e.preventDefault();
    const list = def.atControls ? controls.split(/[\s,]+/).filter(Boolean) : undefined;
    const body = { person: person.trim(), post, ...(list ? { controls: list } : {}) };
    if (how === 'code') {
      const r = await write<{ code: string; url: string; qrSvg: string; expiresAt: string; label: string }>('POST', rallyPath('/enrollments'), { ...body, expiresInMinutes: Math.round(Number(hours) * 60) }, `Code issued for ${person.trim()}.`);
      if (r) p.onIssued({ kind: 'code', label: r.label, code: r.code, link: new URL(r.url, location.href).href, qrSvg: r.qrSvg, expiresAt: r.expiresAt });
    } else {
      // One key per press of Issue: a retry of the same request answers the same token, never a second unseen one.
      const r = await write<{ token: string; label: string }>('POST', '/api/tokens', { ...body, role: def.role, rallyId: rallyId.value }, `Token issued for ${person.trim()}.`, newId('token'));
      if (r) p.onIssued({ kind: 'token', label: r.label, token: r.token });
    }
    setPerson('');
  }
  return (
    <fieldset class="org"><legend>Add a person</legend>
      <form class="org-form" onSubmit={submit} aria-label="Add a person">
        <label>Name <input class="wide" value={person} onInput={(e) => setPerson(value(e))} placeholder="Sam Ortiz" required autoComplete="off" /></label>
        <label>Post <select value={post} onChange={(e) => setPost(value(e))}>{POSTS.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select></label>
        {def.atControls ? (
          <label>Controls <input value={controls} onInput={(e) => setControls(value(e))} placeholder="SS3F" list="people-controls" required aria-describedby="people-controls-hint" /></label>
        ) : null}
        <datalist id="people-controls">{p.controls.map((c) => <option key={c} value={c} />)}</datalist>
        <label>Give them <select value={how} onChange={(e) => setHow(value(e) as 'code' | 'token')}>
          <option value="code">a code for their phone (QR)</option>
          <option value="token">a token for a computer</option>
        </select></label>
        {how === 'code' ? <label>Code works for (hours) <input value={hours} onInput={(e) => setHours(value(e))} inputMode="decimal" size={4} /></label> : null}
        <button type="submit" disabled={needsAdmin}>Issue</button>
      </form>
      <p id="people-controls-hint" class="small muted">
        {def.atControls ? `A ${def.name.toLowerCase()} writes times only at the controls named here (control ids or stage codes, any case, separated by commas). ` : `A ${def.name.toLowerCase()} gets a results officer token for this rally. `}
        {needsAdmin ? 'Only the administrator issues officer tokens: open this page with the administrator token.' : ''}
      </p>
    </fieldset>
  );
}

function IssuedCard(p: { issued: Issued | IssuedToken; timeZone: string; onClose: () => void }) {
  const x = p.issued;
  return (
    <section class="issued" aria-labelledby="issued-title">
      <h3 id="issued-title">{x.kind === 'code' ? `Enrollment code for ${x.label}` : `Token for ${x.label}`}</h3>
      {x.kind === 'code' ? (
        <div class="enroll-card">
          <div class="qr" role="img" aria-label={`QR code of ${x.link}`} dangerouslySetInnerHTML={{ __html: x.qrSvg }} />
          <div>
            <p class="small">Code <strong class="big" id="issued-code">{x.code}</strong></p>
            <div><a href={x.link}>{x.link}</a></div>
            <p class="sub">Scan the QR code with their phone, or type the code on the marshal page. It works once, until {when(x.expiresAt, p.timeZone)}; it is not shown again — cancel it below and issue another if it is lost.</p>
          </div>
        </div>
      ) : (
        <div>
          <label>Token (shown only now) <input class="wide token" readOnly value={x.token} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} /></label>
          <p class="sub">Copy it to their computer now: only its fingerprint is kept. If it is lost, revoke it below and issue another.</p>
        </div>
      )}
      <button type="button" onClick={p.onClose}>Done</button>
    </section>
  );
}

type Pending = { kind: 'token'; row: TokenRow } | { kind: 'code'; row: CodeRow };

export function PeopleView() {
  const [tokens, setTokens] = useState<TokenRow[]>([]);
  const [codes, setCodes] = useState<CodeRow[]>([]);
  const [itin, setItin] = useState<Itinerary | null>(null);
  const [isAdmin, setAdmin] = useState(false);
  const [issued, setIssued] = useState<Issued | IssuedToken | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const tz = itin?.timeZone ?? 'UTC';

  async function load() {
    try {
      const [t, c] = await Promise.all([
        read<{ tokens: TokenRow[] }>(`/api/tokens?rally=${encodeURIComponent(rallyId.value)}`),
        read<{ enrollments: CodeRow[] }>(rallyPath('/enrollments')),
      ]);
      setTokens(t.tokens);
      setCodes(c.enrollments);
    } catch (e) { say((e as Error).message, true); }
  }
  useEffect(() => {
    void load();
    void read<Itinerary>(rallyPath('/itinerary')).then(setItin, () => {});
    void read<{ role: string }>('/api/whoami').then((w) => setAdmin(w.role === 'admin'), () => {});
  }, []);

  async function confirm() {
    const p = pending;
    setPending(null);
    if (!p) return;
    const ok = p.kind === 'token'
      ? await remove(`/api/tokens/${encodeURIComponent(p.row.id)}`, `Revoked: ${p.row.label}${p.row.device ? ` (${p.row.device})` : ''}. It no longer works.`)
      : await remove(rallyPath(`/enrollments/${encodeURIComponent(p.row.id ?? '')}`), `Cancelled the code for ${p.row.label}.`);
    if (ok) await load();
  }

  const controls = itin ? [...new Set([...itin.legs.flatMap((l) => l.sections.flatMap((s) => s.controls.map((c) => c.id))), ...itin.stages.map((s) => s.code)])] : [];
  const active = tokens.filter((t) => !t.revokedAt).sort((a, b) => postOrder(a.post) - postOrder(b.post) || a.label.localeCompare(b.label));
  const revoked = tokens.filter((t) => t.revokedAt);
  const waiting = codes.filter((c) => c.state === 'waiting');
  const spent = codes.filter((c) => c.state !== 'waiting');
  const p = pending;
  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">Tokens and people</h2>
      <p class="small muted">Everyone who writes to this rally holds a token named after them and their post. A phone that is lost: press Revoke on its line and confirm — it is refused at once, and its open pages close.</p>
      <IssueForm isAdmin={isAdmin} controls={controls} onIssued={(x) => { setIssued(x); void load(); }} />
      {issued ? <IssuedCard issued={issued} timeZone={tz} onClose={() => setIssued(null)} /> : null}

      <div class="row"><h3 id="people-active">People with a token ({active.length})</h3><button type="button" class="small" onClick={() => void load()}>Refresh</button></div>
      {active.length === 0 ? <p class="muted">Nobody yet.</p> : (
        <div class="scroll">
          <table aria-labelledby="people-active" class="people">
            <thead><tr><th>Person</th><th>Post</th><th>Controls</th><th>Device</th><th>Issued</th><th><span class="sr">Action</span></th></tr></thead>
            <tbody>{active.map((t) => (
              <tr key={t.id} data-token={t.id}>
                <td>{t.person ?? t.label}{t.person ? null : <div class="sub">{t.role}</div>}</td>
                <td>{postName(t.post)}</td>
                <td>{t.controls?.join(', ') ?? (t.role === 'officer' ? 'all (results officer)' : '')}</td>
                <td>{t.device ?? ''}</td>
                <td>{when(t.createdAt, tz)}<div class="sub">by {t.createdBy}</div></td>
                <td>{isAdmin || t.role === 'timekeeper'
                  ? <button type="button" class="danger" aria-label={`Revoke ${t.label}${t.device ? ` (${t.device})` : ''}`} onClick={() => setPending({ kind: 'token', row: t })}>Revoke</button>
                  : <span class="sub">the administrator revokes it</span>}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}

      <h3 id="people-codes">Codes not used yet ({waiting.length})</h3>
      {waiting.length === 0 ? <p class="muted">None waiting.</p> : (
        <div class="scroll">
          <table aria-labelledby="people-codes" class="people">
            <thead><tr><th>For</th><th>Post</th><th>Controls</th><th>Works until</th><th><span class="sr">Action</span></th></tr></thead>
            <tbody>{waiting.map((c) => (
              <tr key={c.id ?? c.label} data-code={c.id ?? ''}>
                <td>{c.person ?? c.label}</td><td>{postName(c.post)}</td><td>{c.controls?.join(', ') ?? ''}</td><td>{when(c.expiresAt, tz)}</td>
                <td>{c.id ? <button type="button" aria-label={`Cancel the code for ${c.label}`} onClick={() => setPending({ kind: 'code', row: c })}>Cancel code</button> : null}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}

      <details open={showRevoked} onToggle={(e) => setShowRevoked((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>Revoked tokens and spent codes ({revoked.length + spent.length})</summary>
        <ul class="list small">
          {revoked.map((t) => <li key={t.id}>{t.label}{t.device ? ` (${t.device})` : ''} — revoked {when(t.revokedAt, tz)}</li>)}
          {spent.map((c) => <li key={c.id ?? c.label}>Code for {c.label} — {c.state === 'used' ? `used ${when(c.usedAt, tz)}` : c.state === 'cancelled' ? `cancelled ${when(c.cancelledAt, tz)}` : `expired ${when(c.expiresAt, tz)}`}</li>)}
        </ul>
      </details>

      <ConfirmDialog open={p !== null} title={p?.kind === 'code' ? `Cancel the code for ${p.row.label}?` : `Revoke ${p?.row.label ?? ''}?`}
        confirmLabel={p?.kind === 'code' ? 'Cancel the code' : 'Revoke now'} onConfirm={() => void confirm()} onCancel={() => setPending(null)}>
        {p?.kind === 'token'
          ? <p>{p.row.device ? `The device “${p.row.device}”` : 'Whoever holds this token'} is refused from now on and its open live pages close. {p.row.post && postById(p.row.post)?.atControls ? 'Issue a new code for the replacement phone; times already sent are kept.' : 'Issue a new token if they still need one.'}</p>
          : <p>The code stops working; no phone can enroll with it.</p>}
      </ConfirmDialog>
    </section>
  );
}

