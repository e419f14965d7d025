// Landing page: the rallies this server holds, newest first.
import { getJson } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';
import { listOf, type RallySummary } from './lib/types.ts';

async function load(): Promise<void> {
  const list = $('#rallies');
  try {
    const rallies = listOf<RallySummary>(await getJson<unknown>('/api/rallies'), 'rallies').sort((a, b) => b.startDate.localeCompare(a.startDate));
    if (rallies.length === 0) {
      replace(list, h('li', { class: 'muted' }, 'No rallies yet. An administrator imports one with POST /api/rallies/import or `rallyhq serve`.'));
      return;
    }
    replace(list, rallies.map((r) => h('li', { 'data-rally': r.id },
      h('a', { href: `/rally.html?id=${encodeURIComponent(r.id)}` }, r.name),
      h('div', { class: 'sub' }, `${r.startDate}${r.endDate && r.endDate !== r.startDate ? ` – ${r.endDate}` : ''} · ${r.stages} stages · ${r.entries} crews`))));
  } catch (e) {
    replace(list, h('li', { class: 'error' }, `Could not load rallies: ${(e as Error).message}`));
  }
}

void load();
