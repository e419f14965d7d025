// Push notifications for a followed crew, loaded only when a crew's page is
// shown in a browser that can receive them: asks the server whether it sends
// any (GET /api/push), and on a click — never before — asks the browser's
// permission, subscribes through a worker that controls no page
// (/push-sw.js, scope /push/: the marshal page's offline worker keeps its own),
// and gives the subscription to the server for this crew.
// SEE: docs/live.md "Notifications for a followed crew".

export interface PushInfo { enabled: boolean; publicKey: string }

/** The crews of a rally this browser asked to be notified about, kept on the phone. */
const key = (rallyId: string) => `rallyhq:push:${rallyId}`;
export function notifiedCars(rallyId: string): Set<number> {
  try { return new Set((JSON.parse(localStorage.getItem(key(rallyId)) ?? '[]') as number[]).filter((n) => Number.isInteger(n))); } catch { return new Set(); }
}
function keep(rallyId: string, cars: Set<number>): void {
  try { localStorage.setItem(key(rallyId), JSON.stringify([...cars])); } catch { /* private mode: the server still has it */ }
}

export async function pushInfo(): Promise<PushInfo> {
  const r = await fetch('/api/push');
  if (!r.ok) return { enabled: false, publicKey: '' };
  return (await r.json()) as PushInfo;
}

/** Resolves when the worker is active: a subscription needs an active worker. */
function activated(reg: ServiceWorkerRegistration): Promise<ServiceWorkerRegistration> {
  if (reg.active) return Promise.resolve(reg);
  const w = reg.installing ?? reg.waiting;
  return new Promise((resolve, reject) => {
    if (!w) return reject(new Error('no service worker'));
    w.addEventListener('statechange', () => {
      if (w.state === 'activated') resolve(reg);
      else if (w.state === 'redundant') reject(new Error('the service worker could not start'));
    });
  });
}

const crewPath = (rallyId: string, car: number) => `/api/rallies/${encodeURIComponent(rallyId)}/crews/${car}/push`;

export type PushOutcome = 'on' | 'off' | 'denied' | 'failed';

export async function notifyOn(rallyId: string, car: number, publicKey: string): Promise<PushOutcome> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const reg = await activated(await navigator.serviceWorker.register('/push-sw.js', { scope: '/push/' }));
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
  const r = await fetch(crewPath(rallyId, car), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sub.toJSON()) });
  if (!r.ok) return 'failed';
  const cars = notifiedCars(rallyId);
  keep(rallyId, cars.add(car));
  return 'on';
}

export async function notifyOff(rallyId: string, car: number): Promise<PushOutcome> {
  const reg = await navigator.serviceWorker.getRegistration('/push/');
  const sub = await reg?.pushManager.getSubscription();
  if (sub) {
    const r = await fetch(crewPath(rallyId, car), { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpoint: sub.endpoint }) });
    if (!r.ok) return 'failed';
  }
  const cars = notifiedCars(rallyId);
  cars.delete(car);
  keep(rallyId, cars);
  return 'off';
}
