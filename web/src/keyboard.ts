// Keyboard use: `/` search, `j`/`k` through a list, Enter opens, Esc goes back, `?` lists the
// shortcuts, `g` then a letter jumps to a view. Keys typed into a field stay the field's.
import { useEffect, useRef, useState } from 'react';

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function isPlainKey(event: KeyboardEvent): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey;
}

/**
 * j/k move the selection through `count` rows, Enter opens the selected one. Rows carry
 * `data-row={index}` inside `container`, so the selected row is scrolled into view.
 */
export function useListKeys(count: number, onOpen: (index: number) => void, options: { enabled?: boolean } = {}) {
  const [selected, setSelected] = useState(-1);
  const container = useRef<HTMLElement | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;
  const current = useRef(selected);
  current.current = selected;
  const enabled = options.enabled ?? true;

  useEffect(() => {
    if (selected >= count) setSelected(count - 1);
  }, [count, selected]);

  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || !isPlainKey(event) || count === 0) return;
      if (document.querySelector('[data-modal-open]')) return;
      if (event.key === 'j' || event.key === 'ArrowDown') {
        event.preventDefault();
        setSelected((s) => Math.min(count - 1, s + 1));
      } else if (event.key === 'k' || event.key === 'ArrowUp') {
        event.preventDefault();
        setSelected((s) => Math.max(0, s - 1));
      } else if (event.key === 'Enter' && current.current >= 0 && !(event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        open.current(current.current);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [count, enabled]);

  useEffect(() => {
    if (selected < 0) return;
    const row = container.current?.querySelector(`[data-row="${selected}"]`);
    if (row instanceof HTMLElement) row.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return { selected, setSelected, container };
}

/** Shortcuts of the whole app; `go` maps the letter after `g` to a path. */
export function useGlobalKeys(handlers: { search: () => void; back: () => void; help: () => void; go: (letter: string) => boolean }) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    let pendingG = 0;
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event)) return;
      if (event.key === 'Escape') {
        if (isTyping(event.target)) (event.target as HTMLElement).blur();
        else latest.current.back();
        return;
      }
      if (isTyping(event.target)) return;
      if (pendingG && Date.now() - pendingG < 1500) {
        pendingG = 0;
        if (latest.current.go(event.key)) event.preventDefault();
        return;
      }
      if (event.key === '/') {
        event.preventDefault();
        latest.current.search();
      } else if (event.key === '?') {
        event.preventDefault();
        latest.current.help();
      } else if (event.key === 'g') {
        pendingG = Date.now();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
