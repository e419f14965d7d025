// Landing page: the rallies this server holds.
import { getJson } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';

interface RallySummary { id: string; name?: string; definition?: { name: string; startDate: string; endDate: string }; startDate?: string }

async function load(): Promise<void> {
  const list = $('#rallies');
  try {
    const body = await getJson<{ rallies: RallySummary[] } | RallySummary[]>('/api/rallies');
    const rallies = Array.isArray(body) ? body : body.rallies;
    if (rallies.length === 0) {
      replace(list, h('li', { class: 'muted' }, 'No rallies yet.'));
      return;
    }
    replace(list, rallies.map((r) => {
      const name = r.name ?? r.definition?.name ?? r.id;
      const date = r.startDate ?? r.definition?.startDate ?? '';
      return h('li', {}, h('a', { href: `/rally.html?id=${encodeURIComponent(r.id)}` }, name), ' ', h('span', { class: 'muted' }, date));
    }));
  } catch (e) {
    replace(list, h('li', { class: 'error' }, `Could not load rallies: ${(e as Error).message}`));
  }
}

void load();
