// Downloads on the rally page, in their own small module (the page's views
// are rendered elsewhere): the results as CSV and JSON, the stage times by
// crew, the times of day, the rally file, the official documents of the
// latest publication as PDF and the timetable for a calendar.
import { getJson } from './lib/api.ts';

interface Pub { number: number; kind: string; hash: string | null }

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  if (!href.endsWith('.ics')) a.setAttribute('download', '');
  return a;
}

async function main(): Promise<void> {
  const id = new URLSearchParams(location.search).get('id');
  const host = document.getElementById('downloads');
  if (!id || !host) return;
  const r = `/api/rallies/${encodeURIComponent(id)}`;
  const groups: [string, HTMLAnchorElement[]][] = [
    ['Results', [link(`${r}/results?format=csv`, 'CSV'), link(`${r}/results`, 'JSON'), link(`${r}/stage-times?format=csv`, 'Stage times by crew (CSV)'), link(`${r}/entries?format=csv`, 'Entry list (CSV)')]],
    ['Tables of the documents (CSV)', [link(`${r}/tables/final-classification.csv`, 'Final classification, every table'), link(`${r}/tables/penalties.csv`, 'Penalties'), link(`${r}/tables/retirements.csv`, 'Retirements and exclusions')]],
    ['Data', [link(`${r}/times.csv`, 'Times of day (CSV)'), link(`${r}/export`, 'Rally file (JSON)'), link(`/api/public/v1/rallies/${encodeURIComponent(id)}/timetable.ics`, 'Timetable (calendar)')]],
  ];
  try {
    const pubs = (await getJson<{ publications: Pub[] }>(`/api/public/v1/rallies/${encodeURIComponent(id)}/publications`)).publications;
    const last = pubs.at(-1);
    if (last) {
      const d = (kind: string, text: string) => link(`${r}/publications/${last.number}/documents/${kind}.pdf`, text);
      groups.push([`Documents of publication ${last.number} (${last.kind}, PDF)`, [d('final-classification', 'Classification overall and by class'), d('classification', 'Classification after the last stage'), d('penalties', 'Penalties'), d('retirements', 'Retirements and exclusions'), d('entry-list', 'Entry list')]]);
    }
  } catch {
    // The documents are an extra; the other downloads stand without them.
  }
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'Downloads';
  details.append(summary);
  for (const [title, links] of groups) {
    const p = document.createElement('p');
    p.className = 'small';
    p.append(`${title}: `);
    links.forEach((a, i) => { if (i) p.append(' · '); p.append(a); });
    details.append(p);
  }
  host.replaceChildren(details);
}

void main();
