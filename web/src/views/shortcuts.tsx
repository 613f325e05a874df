// The keyboard shortcuts, shown with `?`.
import { useEffect, useRef } from 'react';
import { type MessageKey, useT } from '../i18n.tsx';

const SHORTCUTS: [string, MessageKey][] = [
  ['/', 'keys.search'],
  ['j / ↓', 'keys.down'],
  ['k / ↑', 'keys.up'],
  ['Enter', 'keys.open'],
  ['Esc', 'keys.back'],
  ['?', 'keys.help'],
  ['g s', 'nav.search'],
  ['g a', 'nav.alerts'],
  ['g c', 'nav.cases'],
  ['g m', 'nav.campaigns'],
  ['g e', 'nav.entities'],
  ['g n', 'nav.graph'],
  ['g t', 'nav.timeline'],
  ['g i', 'nav.ingest'],
  ['g l', 'nav.audit'],
  ['g u', 'nav.users'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const closeButton = useRef<HTMLButtonElement | null>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div className="modal-backdrop" onClick={onClose} data-modal-open="">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onClick={(e) => e.stopPropagation()} data-testid="shortcuts">
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <table className="table table-compact">
          <tbody>
            {SHORTCUTS.map(([keys, label]) => (
              <tr key={keys}><td><kbd>{keys}</kbd></td><td>{t(label)}</td></tr>
            ))}
          </tbody>
        </table>
        <button ref={closeButton} type="button" className="button" onClick={onClose}>{t('close')}</button>
      </div>
    </div>
  );
}
