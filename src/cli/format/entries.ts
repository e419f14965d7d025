// The entry list in start order (the first leg's, core/start-order.ts): crews
// with nationalities, class, car, entrant and whether the car is
// factory-supported or privateer.
import type { Entry, RallyDefinition } from '../../core/model.ts';
import { entriesInStartOrder } from '../../core/start-order.ts';
import { renderTable, wrap } from './table.ts';
import { toCsv } from './csv.ts';
import { makeModel } from './cells.ts';

/** Start order of the first leg: its stored start list, else by car number (the order the scoring's due times use). */
export function startOrder(def: RallyDefinition, classCode?: string): Entry[] {
  return entriesInStartOrder(def, classCode);
}

export function entriesTable(def: RallyDefinition, entries: readonly Entry[], width = 80, classCode?: string): string {
  const fictional = entries.some((e) => e.fictional);
  const rows = entries.map((e) => [
    `${e.car}${e.fictional ? '*' : ''}`, e.driver.name, e.driver.nationality ?? '', e.codriver?.name ?? '', e.codriver?.nationality ?? '',
    e.class, makeModel(e), e.entrant ?? '', e.support === 'factory' ? 'F' : e.support === 'privateer' ? 'P' : '',
  ]);
  const table = renderTable([
    // NOTE: names give up width last: an entry list is read for its names.
    { header: 'Car', align: 'right' }, { header: 'Driver', flex: true, minWidth: 10, shrinkOrder: 2 }, { header: 'Nat' },
    { header: 'Co-driver', flex: true, minWidth: 10, shrinkOrder: 2 }, { header: 'Nat' }, { header: 'Class' },
    { header: 'Car model', flex: true, minWidth: 10, shrinkOrder: 0 }, { header: 'Entrant', flex: true, minWidth: 8, shrinkOrder: 0 }, { header: 'F/P' },
  ], rows, width);
  const heading = `${wrap(def.name, width, 2)}\nEntry list${classCode ? `, class ${classCode}` : ''}, ${entries.length} crew${entries.length === 1 ? '' : 's'}, in start order`;
  const notes = ['F/P: factory-supported or privateer', ...(fictional ? ['*: fictional entry (invented for this file, not a real crew)'] : [])];
  return `${heading}\n\n${table}\n${notes.join('\n')}\n`;
}

export function entriesJson(def: RallyDefinition, entries: readonly Entry[]): unknown {
  return {
    rally: { id: def.id, name: def.name },
    entries: entries.map((e, i) => ({
      startOrder: i + 1, car: e.car,
      driver: { name: e.driver.name, nationality: e.driver.nationality ?? null },
      codriver: { name: e.codriver?.name ?? null, nationality: e.codriver?.nationality ?? null },
      class: e.class, className: def.classes.find((c) => c.code === e.class)?.name ?? null,
      make: e.make, model: e.model, entrant: e.entrant ?? null, support: e.support ?? null,
      eligibility: e.eligibility ?? [], group: e.group ?? null, fictional: e.fictional ?? false,
    })),
  };
}

export function entriesCsv(entries: readonly Entry[]): string {
  return toCsv(
    ['start_order', 'car', 'driver', 'driver_nationality', 'codriver', 'codriver_nationality', 'class', 'make', 'model', 'entrant', 'support', 'eligibility', 'fictional'],
    entries.map((e, i) => [i + 1, e.car, e.driver.name, e.driver.nationality ?? null, e.codriver?.name ?? null, e.codriver?.nationality ?? null,
      e.class, e.make, e.model, e.entrant ?? null, e.support ?? null, (e.eligibility ?? []).join(' '), e.fictional ?? false]),
  );
}
