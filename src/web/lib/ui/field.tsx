// A labelled form field: the label is the control's accessible name, a hint
// and an error are tied to it (aria-describedby), and typing never loses focus
// because the value lives in the caller's signal, not in a rebuilt element.
import type { ComponentChildren } from 'preact';

let counter = 0;
/** A stable, unique id for a field rendered without one. */
export function fieldId(prefix = 'f'): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  error?: string | null;
  placeholder?: string;
  type?: 'text' | 'number' | 'password' | 'date';
  inputMode?: 'numeric' | 'decimal' | 'text';
  list?: string;
  required?: boolean;
  multiline?: boolean;
  width?: string;
}

export function Field(p: FieldProps) {
  const described = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id: p.id,
    value: p.value,
    placeholder: p.placeholder,
    required: p.required,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': described,
    onInput: (e: Event) => p.onInput((e.currentTarget as HTMLInputElement).value),
    style: p.width ? { width: p.width } : undefined,
  };
  return (
    <div class="field">
      <label for={p.id}>{p.label}{p.required ? <span aria-hidden="true"> *</span> : null}</label>
      {p.multiline
        ? <textarea rows={4} {...common} />
        : <input type={p.type ?? 'text'} inputMode={p.inputMode} list={p.list} autoComplete="off" {...common} />}
      {p.hint ? <div id={`${p.id}-hint`} class="sub">{p.hint}</div> : null}
      {p.error ? <div id={`${p.id}-err`} class="error small">{p.error}</div> : null}
    </div>
  );
}

export interface SelectProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  hint?: string;
}

export function Select(p: SelectProps) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <select id={p.id} value={p.value} onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)} aria-describedby={p.hint ? `${p.id}-hint` : undefined}>
        {p.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {p.hint ? <div id={`${p.id}-hint`} class="sub">{p.hint}</div> : null}
    </div>
  );
}

/** A message area read out by screen readers when it changes. */
export function Status(p: { id?: string; text: string; error?: boolean; children?: ComponentChildren }) {
  return <p id={p.id} role="status" class={p.error ? 'error' : 'muted'}>{p.text}{p.children}</p>;
}
