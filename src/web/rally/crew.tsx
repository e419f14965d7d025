// A crew's own page: it reads GET …/crews/:car (asked
// again when a delta concerns the crew), and says why — retired where,
// excluded for what, Super Rally charges marked as charged, each penalty with
// its rule.
import { apiPath, TableDownloads } from './table-downloads.tsx';
import { signal } from '@preact/signals';
import { STAGE_STATUS_LABELS, carStatusLabel } from '../../core/status-labels.ts';
import { LazyChart, signedGap } from './charts.tsx';
import type { CrewAnswer } from '../lib/types.ts';
import { formatDuration, formatGap, gap, penalty } from './format.ts';
import { picture } from './model.ts';
import { follow, followed, route } from './state.ts';
import { useEffect } from 'preact/hooks';
import type { PushInfo, PushOutcome } from './push.ts';

/** Push notifications for followed crews: what the server offers and what this phone asked for (push.ts, loaded on a crew page only). */
const notify = signal<{ info: PushInfo | null; cars: ReadonlySet<number>; busy: boolean; note: string }>({ info: null, cars: new Set(), busy: false, note: '' });
let notifyChecked = false;
const canPush = () => typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

const NOTES: Record<PushOutcome, string> = {
  on: 'You will be notified of this crew\'s stage times, penalties and retirement.',
  off: 'Notifications for this crew are off.',
  denied: 'Notifications are blocked for this site: allow them in the browser\'s site settings, then try again.',
  failed: 'Could not turn notifications on or off; try again.',
};

/** "Notify me" beside the star: shown where the browser can take push and the server sends it; asks permission on the click only. */
function NotifyButton({ rallyId, car }: { rallyId: string; car: number }) {
  useEffect(() => {
    if (notifyChecked || !canPush()) return;
    notifyChecked = true;
    void import('./push.ts').then(async (m) => {
      notify.value = { ...notify.value, info: await m.pushInfo(), cars: m.notifiedCars(rallyId) };
    }).catch(() => { /* no notifications offered */ });
  }, [rallyId]);
  const n = notify.value;
  if (!n.info?.enabled) return null;
  const on = n.cars.has(car);
  const click = async () => {
    notify.value = { ...n, busy: true, note: '' };
    const m = await import('./push.ts');
    let outcome: PushOutcome;
    try {
      outcome = on ? await m.notifyOff(rallyId, car) : await m.notifyOn(rallyId, car, n.info!.publicKey);
    } catch {
      outcome = 'failed';
    }
    notify.value = { ...notify.value, busy: false, cars: m.notifiedCars(rallyId), note: NOTES[outcome] };
  };
  return (
    <>
      <button type="button" id="notify" aria-pressed={on} disabled={n.busy} onClick={() => void click()}>
        {on ? '✓ Notifying you' : 'Notify me'}
      </button>
      {n.note ? <p class="muted small" id="notify-note">{n.note}</p> : null}
    </>
  );
}

/** Crew answers by car, filled by the page (rally.tsx). */
export const crews = signal<ReadonlyMap<number, CrewAnswer>>(new Map());

/** Penalties as the workings list them, each with its rule. */
function penaltyItems(c: CrewAnswer): { label: string; ms: number; rule?: string }[] {
  return c.workings.steps.filter((s) => s.kind === 'penalty' && (s.ms ?? 0) > 0)
    .map((s) => ({ label: s.label.replace(/^penalty: /, ''), ms: s.ms ?? 0, ...(s.rule ? { rule: s.rule } : {}) }));
}

export function CrewView() {
  const car = Number(route.value.car);
  const c = crews.value.get(car);
  const p = picture.value;
  if (!c) return <p class="muted">Loading crew #{car}…</p>;
  const after = new Map(c.progression.map((x) => [x.after, x]));
  const pens = penaltyItems(c);
  const withdrawn = c.penalties.filter((x) => x.withdrawn);
  const cur = c.current;
  const retired = p?.retired.get(car);
  const excluded = p?.excluded.get(car);
  const cls = p?.init.classes?.find((k) => k.code === c.entry.class)?.name ?? c.entry.class;
  const charged = c.stages.filter((s) => s.status === 'restartCharged' || s.status === 'assessed');
  return (
    <>
      <h2 id="crew-title">#{c.entry.car} {c.entry.driver.name} / {c.entry.codriver.name}</h2>
      <button type="button" id="follow" aria-pressed={followed.value.has(car)} onClick={() => follow.toggle?.(car)}>
        {followed.value.has(car) ? '★ Following — pinned to the top' : '☆ Follow this crew'}
      </button>
      {p ? <NotifyButton rallyId={p.init.rallyId} car={car} /> : null}
      <p class="muted">{c.entry.make} {c.entry.model} · {cls}</p>
      {cur && cur.position !== null
        ? <p class="big-line"><strong>P{cur.position}</strong> overall · P{cur.classPosition ?? '—'} in class · <strong>{formatDuration(cur.totalMs)}</strong>{cur.gapToLeaderMs ? ` (${formatGap(cur.gapToLeaderMs)})` : ''}</p>
        : cur ? <p class="big-line"><strong>{carStatusLabel(cur.status)}</strong></p> : null}
      <section id="why">
        {excluded ? <p class="why"><strong>Excluded:</strong> {excluded.reason}{excluded.rule ? ` (${excluded.rule})` : ''}.</p> : null}
        {retired && !retired.restartedAt ? <p class="why"><strong>Retired at {retired.where}:</strong> {retired.reason}.</p> : null}
        {retired?.restartedAt ? <p class="why"><strong>Retired at {retired.where}</strong> ({retired.reason}), <strong>restarted at {retired.restartedAt}</strong> under Super Rally. Stages missed are charged, not driven: marked “charged” below.</p> : null}
        {charged.length && !retired?.restartedAt ? <p class="why">Charged times: {charged.map((s) => s.stage).join(', ')} (marked below).</p> : null}
      </section>
      <section id="penalties">
        <h3>Penalties</h3>
        {pens.length
          ? <ul class="list">{pens.map((x, i) => <li key={i}><strong>{penalty(x.ms)}</strong> {x.label}{x.rule ? <div class="rule">Rule: {x.rule}</div> : null}</li>)}</ul>
          : <p class="muted">None.</p>}
        {withdrawn.length ? <p class="muted">Withdrawn: {withdrawn.map((x) => `+${x.seconds} s ${x.reason}`).join('; ')}</p> : null}
      </section>
      <div class="scroll">
        <table id="crew-table">
          <thead><tr><th scope="col">Stage</th><th class="num" scope="col">Time</th><th class="num" scope="col" title="Position on the stage">Pos</th><th class="num" scope="col" title="Overall position after the stage">Overall</th><th class="num" scope="col" title="Gap to the class leader after the stage">Class gap</th></tr></thead>
          <tbody>
            {c.stages.filter((s) => s.status !== 'notRun' || after.has(s.stage)).map((s) => {
              const x = after.get(s.stage);
              const isCharged = s.status === 'restartCharged' || s.status === 'assessed';
              return (
                <tr key={s.stage} data-stage={s.stage} class={isCharged ? 'charged' : undefined}>
                  <td class="crew"><span>{s.stage}</span><div class="sub">{s.name}</div></td>
                  <td class="num">{s.timeMs === null ? (s.status === 'ok' || s.status === 'notRun' ? '—' : STAGE_STATUS_LABELS[s.status]) : formatDuration(s.timeMs)}
                    {isCharged ? <div class="sub charged-mark">charged ({STAGE_STATUS_LABELS[s.status]})</div> : null}
                    {s.penaltyMs ? <div class="sub">{penalty(s.penaltyMs)} pen.</div> : null}</td>
                  <td class="num">{s.position ?? ''}</td>
                  <td class="num">{x?.position ?? ''}{x?.classPosition ? <div class="sub">class {x.classPosition}</div> : null}</td>
                  <td class="num">{x ? gap(x.gapToClassLeaderMs) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {p ? <TableDownloads path={apiPath(p.init.rallyId, `crews/${c.entry.car}`)} what={`Car ${c.entry.car} stage by stage`} /> : null}
      {c.progression.length ? <LazyChart id="crew-chart" title="Gap to the class leader after each stage (minutes:seconds; the table above has every value)"
        spec={{ stages: c.progression.map((x) => x.after), series: [{ label: `#${c.entry.car} ${c.entry.driver.name}`, values: c.progression.map((x) => x.gapToClassLeaderMs) }], format: signedGap, axis: 'behind the class leader (m:ss)' }} /> : null}
    </>
  );
}
