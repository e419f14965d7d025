// Enroll a marshal's phone: a one-time code for a post's controls, shown as
// text, link and QR code (drawn by the server) to scan at the briefing.
import { signal } from '@preact/signals';
import { Field } from '../lib/ui/field.tsx';
import { post, when } from './state.ts';

const label = signal('');
const controls = signal('');
const out = signal<{ code: string; link: string; qrSvg?: string; expiresAt: string } | { error: string } | null>(null);

async function issue(): Promise<void> {
  try {
    const r = await post<{ code: string; url: string; qrSvg?: string; expiresAt: string }>('/enrollments', { label: label.value.trim() || 'marshal', controls: controls.value.split(/[\s,]+/).filter(Boolean) });
    out.value = { code: r.code, link: new URL(r.url, location.href).href, expiresAt: r.expiresAt, ...(r.qrSvg ? { qrSvg: r.qrSvg } : {}) };
  } catch (e) {
    out.value = { error: (e as Error).message };
  }
}

export function PhonesPanel() {
  const o = out.value;
  return (
    <section aria-labelledby="phones-title">
      <h2 id="phones-title">Enroll a marshal phone</h2>
      <div class="row">
        <Field id="enr-label" label="Post" value={label.value} onInput={(v) => { label.value = v; }} placeholder="e.g. SS7 finish" />
        <Field id="enr-controls" label="Controls" value={controls.value} onInput={(v) => { controls.value = v; }} placeholder="e.g. SS7F" hint="Control ids or stage codes, any case." />
        <button id="enr-btn" type="button" onClick={() => void issue()}>Issue code</button>
      </div>
      <div id="enr-out" aria-live="polite">
        {o === null ? null : 'error' in o ? <p class="error">{o.error}</p> : (
          <div class="enroll-card">
            {o.qrSvg ? <div class="qr" role="img" aria-label={`QR code of ${o.link}`} dangerouslySetInnerHTML={{ __html: o.qrSvg }} /> : null}
            <div>
              <strong class="big" id="enr-code">{o.code}</strong>
              <div><a href={o.link}>{o.link}</a></div>
              <div class="sub">Works once, until {when(o.expiresAt)}. Scan the QR code with the marshal's phone, or type the code on /marshal.html.</div>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
