// The rules a rally is scored under: the preset and its version, and the
// supplementary regulations' overrides, each with the article that sets it
// (PUT …/rules). A change needs a reason and is kept in the audit with its
// diff; every result is scored again under the new rules.
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../lib/api.ts';
import { rallyPath, read, write } from './state.ts';

interface Preset { id: string; version: string; name: string }
interface Override { key: string; value: string; rule: string }
interface RulesChoice { preset: string; version: string; overrides?: Record<string, { value: unknown; rule: string }> }

const value = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

/** A value as typed: a number, true/false, JSON (a list, an object), else the text itself. */
export function typedValue(text: string): unknown {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^[[{"]/.test(t)) { try { return JSON.parse(t) as unknown; } catch { /* not JSON: sent as text, the server says what is wrong */ } }
  return t;
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export function RulesView() {
  const [presets, setPresets] = useState<Preset[]>([]);
  const [version, setVersion] = useState(0);
  const [preset, setPreset] = useState('');
  const [rows, setRows] = useState<Override[]>([]);
  const [reason, setReason] = useState('');
  const load = async () => {
    const r = await read<{ version: number; definition: { rules: RulesChoice } }>(rallyPath(''));
    setVersion(r.version);
    setPreset(`${r.definition.rules.preset}@${r.definition.rules.version}`);
    setRows(Object.entries(r.definition.rules.overrides ?? {}).map(([key, o]) => ({ key, value: shown(o.value), rule: o.rule })));
  };
  useEffect(() => {
    void getJson<Preset[]>('/api/presets').then(setPresets).catch(() => {});
    void load();
  }, []);
  const set = (i: number, patch: Partial<Override>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  async function save(): Promise<void> {
    const [id, ver] = preset.split('@');
    const overrides = Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), { value: typedValue(r.value), rule: r.rule.trim() }]));
    const done = await write('PUT', rallyPath('/rules'), { version, rules: { preset: id, version: ver, ...(Object.keys(overrides).length ? { overrides } : {}) }, reason: reason.trim() }, 'Rules saved; every result is scored again under them.');
    if (done) { setReason(''); await load(); }
  }
  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">Rules</h2>
      <p class="small">The preset the rally is scored under and the supplementary regulations that change its values, each with its article. Every value and its source: docs/rules.md.</p>
      <form class="org-form" aria-label="Rules" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label>Preset
          <select value={preset} onChange={(e) => setPreset((e.currentTarget as HTMLSelectElement).value)}>
            {presets.map((x) => <option key={`${x.id}@${x.version}`} value={`${x.id}@${x.version}`}>{x.name} ({x.id} {x.version})</option>)}
          </select>
        </label>
        <fieldset class="org">
          <legend>Overrides by the supplementary regulations</legend>
          <div class="scroll">
            <table aria-label="Overrides">
              <thead><tr><th scope="col">Rule key</th><th scope="col">Value</th><th scope="col">Article</th><th scope="col" aria-label="Remove" /></tr></thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i} data-key={r.key}>
                    <td><input aria-label={`Rule key ${i + 1}`} value={r.key} placeholder="e.g. inquiryWindowMin" onInput={(e) => set(i, { key: value(e) })} /></td>
                    <td><input aria-label={`Value of ${r.key || `override ${i + 1}`}`} value={r.value} onInput={(e) => set(i, { value: value(e) })} /></td>
                    <td><input aria-label={`Article for ${r.key || `override ${i + 1}`}`} value={r.rule} placeholder="e.g. SR 12.3" onInput={(e) => set(i, { rule: value(e) })} /></td>
                    <td><button type="button" class="small" aria-label={`Remove ${r.key || `override ${i + 1}`}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" class="small" onClick={() => setRows([...rows, { key: '', value: '', rule: '' }])}>Add an override</button>
        </fieldset>
        <label>Reason for the change <input class="wide" value={reason} required placeholder="e.g. bulletin 2: inquiry window 45 min" onInput={(e) => setReason(value(e))} /></label>
        <button type="submit" disabled={!reason.trim() || !preset}>Save the rules</button>
      </form>
    </section>
  );
}
