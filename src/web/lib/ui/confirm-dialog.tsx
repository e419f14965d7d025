// A modal confirmation (the native <dialog>: focus is trapped and Escape
// cancels). It lists what stands in the way and can demand a reason before
// the confirming button works.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  /** When false the confirm button is disabled (e.g. the override reason is still empty). */
  canConfirm?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(p: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (p.open && !d.open) d.showModal();
    if (!p.open && d.open) d.close();
  }, [p.open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); p.onCancel(); }}>
      <h2 id="confirm-title">{p.title}</h2>
      {p.children}
      <div class="row">
        <button type="button" class="primary" disabled={p.canConfirm === false} onClick={p.onConfirm}>{p.confirmLabel}</button>
        <button type="button" onClick={p.onCancel}>Cancel</button>
      </div>
    </dialog>
  );
}
