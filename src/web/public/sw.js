// Keeps the pages on the phone so the marshal page opens again without signal
// (a reload, a browser that dropped the tab). Pages: network first, the kept
// copy when there is no network. Hashed assets never change: kept copy first.
// The API is never cached: times go through the page's own outbox.
// NOTE: browsers run service workers only over HTTPS or on localhost.
const CACHE = 'rallyhq-pages-v1';

/** Pages kept from the start, with the hashed scripts and styles they name: the page that loaded this worker was fetched before it ran. */
const PAGES = ['/marshal.html'];

async function keepPages() {
  const cache = await caches.open(CACHE);
  for (const page of PAGES) {
    const response = await fetch(page, { cache: 'no-cache' });
    if (!response.ok) continue;
    const html = await response.clone().text();
    await cache.put(page, response);
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    await cache.addAll([...new Set(assets)]);
  }
}

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(keepPages().catch(() => {}));
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** On one bar a request can hang for a minute: after this long the kept copy is shown instead. */
const PATIENCE_MS = 4000;

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const key = new URL(request.url).pathname;
  const network = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(key, response.clone());
    return response;
  });
  network.catch(() => {}); // a late failure after the kept copy was shown is nobody's business
  const late = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS, null));
  try {
    const first = await Promise.race([network, late]);
    if (first) return first;
    return (await cache.match(key)) ?? (await network);
  } catch (err) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw err;
  }
}

async function keptFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/docs') || url.pathname === '/enroll') return;
  event.respondWith(url.pathname.startsWith('/assets/') ? keptFirst(request) : networkFirst(request));
});
