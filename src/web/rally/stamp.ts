// What the numbers on the page are. A publication freezes the results up to a
// log position (its `uptoSeq`); once the page holds anything newer, the numbers
// are live again, and the stamp says "live" with the publication they follow —
// never PROVISIONAL or OFFICIAL over times that publication did not hold.
import type { PublicationHead } from './state.ts';

export interface Stamp { kind: 'live' | 'provisional' | 'official'; text: string; title: string }

export function stampFor(seq: number, pub: PublicationHead | null): Stamp {
  if (!pub) return { kind: 'live', text: 'live', title: 'Results as they arrive, not yet published' };
  const name = `${pub.kind} #${pub.number}`;
  // Without uptoSeq we cannot tell what the publication holds: say live, never the stronger word.
  // Behind it (seq < uptoSeq: still catching up) is not what was published either.
  if (pub.uptoSeq === undefined || seq !== pub.uptoSeq) {
    return { kind: 'live', text: `live since ${name}`, title: `The numbers shown are not the ones ${name} holds (log position ${pub.uptoSeq ?? 'unknown'}; page at ${seq})` };
  }
  return { kind: pub.kind, text: name, title: `${pub.kind} results published ${pub.publishedAt}${pub.reason ? ` — ${pub.reason}` : ''}` };
}
