// Shows the notifications the server pushes for followed crews (a stage time,
// a penalty, a retirement) and opens the crew's page on a tap. Registered by
// the rally page with scope /push/, so it controls no page and leaves the
// marshal page's offline worker (sw.js) alone. SEE: docs/live.md.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let n = {};
  try { n = event.data ? event.data.json() : {}; } catch { n = { body: event.data ? event.data.text() : '' }; }
  event.waitUntil(self.registration.showNotification(n.title || 'rallyhq', {
    body: n.body || '',
    tag: n.tag,
    // A corrected time replaces the earlier one and says so again.
    renotify: Boolean(n.tag),
    icon: '/favicon.svg',
    data: { url: n.url || '/' },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data && event.notification.data.url ? event.notification.data.url : '/', self.location.origin).href;
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const same = open.find((c) => c.url === url);
    if (same) return same.focus();
    return self.clients.openWindow(url);
  })());
});
