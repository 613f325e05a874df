// A dense list of search hits: time, sender → recipients, dataset, highlighted snippet. Used by
// search and by the entity view; j/k/Enter move through it and open the conversation.
import type { SearchHit } from '../api-types.ts';
import { formatTime } from '../format.ts';
import { Snippet } from '../highlight.tsx';
import { useT } from '../i18n.tsx';
import { useListKeys } from '../keyboard.ts';
import { Link, href, navigate } from '../router.tsx';
import { DatasetBadge } from '../ui.tsx';

export function itemPath(id: string, q?: string): string {
  return href(`/items/${encodeURIComponent(id)}`, { q });
}

export function accountPath(handle: string, dataset?: string): string {
  return href(`/accounts/${encodeURIComponent(handle)}`, { dataset });
}

export function HitList({ hits, q, showDataset }: { hits: readonly SearchHit[]; q?: string; showDataset: boolean }) {
  const t = useT();
  const { selected, setSelected, container } = useListKeys(hits.length, (i) => {
    const hit = hits[i];
    if (hit) navigate(itemPath(hit.id, q));
  });
  return (
    <ol className="hits" ref={(el) => { container.current = el; }} data-testid="hits">
      {hits.map((hit, i) => (
        <li key={hit.id} data-row={i} className={`hit ${i === selected ? 'selected' : ''}`} onMouseDown={() => setSelected(i)}>
          <div className="hit-meta">
            <time dateTime={hit.ts}>{formatTime(hit.ts)}</time>
            <span className="hit-parties">
              <Link to={accountPath(hit.from, hit.dataset)} className="handle">{hit.from}</Link>
              {hit.to.length > 0 ? <span className="arrow" aria-hidden="true">→</span> : null}
              {hit.to.slice(0, 3).map((to) => <Link key={to} to={accountPath(to, hit.dataset)} className="handle">{to}</Link>)}
              {hit.to.length > 3 ? <span className="muted">+{hit.to.length - 3}</span> : null}
            </span>
            {hit.kind === 'note' ? <span className="tag">{t('hit.note')}</span> : null}
            {showDataset ? <DatasetBadge name={hit.dataset} /> : null}
          </div>
          <Link to={itemPath(hit.id, q)} className="hit-snippet"><Snippet html={hit.snippet} /></Link>
        </li>
      ))}
    </ol>
  );
}
