// Publication: a numbered, immutable version of the results, provisional or
// official, always with a reason.
import { signal } from '@preact/signals';
import { Field } from '../lib/ui/field.tsx';
import { newId } from '../lib/ui/ids.ts';
import type { Publication } from '../lib/types.ts';
import { post, publications, refresh, say } from './state.ts';

const kind = signal<'provisional' | 'official'>('provisional');
const reason = signal('');
/** One key per intended publication, kept across retries. */
let key = newId('pub');

async function publish(extra: Record<string, unknown> = {}): Promise<Publication | null> {
  if (!reason.value.trim()) { say('Give the reason for this publication, e.g. "end of leg 1".', true); return null; }
  try {
    const p = await post<Publication>('/publications', { kind: kind.value, reason: reason.value.trim(), ...extra }, key);
    key = newId('pub');
    say(`Published ${p.kind} results #${p.number}.`);
    reason.value = '';
    await refresh();
    return p;
  } catch (e) {
    say(`Not published: ${(e as Error).message}`, true);
    return null;
  }
}

export function PublishPanel() {
  const list = publications.value;
  return (
    <section aria-labelledby="publish-title">
      <h2 id="publish-title">Publication</h2>
      <div class="row">
        <div class="field">
          <label for="pub-kind">Kind</label>
          <select id="pub-kind" value={kind.value} onChange={(e) => { kind.value = (e.currentTarget as HTMLSelectElement).value as 'provisional' | 'official'; }}>
            <option value="provisional">provisional</option>
            <option value="official">official</option>
          </select>
        </div>
        <Field id="pub-reason" label="Reason" value={reason.value} onInput={(v) => { reason.value = v; }} placeholder="e.g. end of leg 1" required />
        <button id="publish" type="button" class="primary" onClick={() => void publish()}>Publish</button>
      </div>
      <ul id="publications" class="list">
        {list.length === 0 ? <li class="muted">Nothing published yet: the public pages show live, unofficial results.</li>
          : [...list].reverse().map((x) => (
            <li key={x.number} data-kind={x.kind}>
              <span class={`stamp ${x.kind}`}>{x.kind} #{x.number}</span>{` ${new Date(x.publishedAt).toLocaleString()}${x.reason ? ` — ${x.reason}` : ''}${x.principal ? ` (${x.principal})` : ''}`}
              {x.uptoSeq !== undefined ? <span class="sub"> · holds the log up to #{x.uptoSeq}</span> : null}
            </li>
          ))}
      </ul>
    </section>
  );
}
