// One item: the conversation around it (the hit marked and in view) and its detail: parties,
// body with the extracted entities marked by span, attachments, provenance, unmapped fields.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import type { EntitySpan, Item } from '../api-types.ts';
import { formatTime } from '../format.ts';
import { EntityText } from '../highlight.tsx';
import { useT } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { DatasetBadge, ErrorNote, Loading, PageHeader, useAsync } from '../ui.tsx';
import { AddToCase } from './cases.tsx';
import { accountPath, itemPath } from './hit-list.tsx';

const CONTEXTS = [8, 25, 100] as const;

export function entityPath(type: string, value: string, dataset?: string): string {
  const base = `/entities/${encodeURIComponent(type)}/${encodeURIComponent(value)}`;
  return dataset ? `${base}?dataset=${encodeURIComponent(dataset)}` : base;
}

export function ItemView({ id, highlight }: { id: string; highlight: string | undefined }) {
  const t = useT();
  const [context, setContext] = useState<number>(CONTEXTS[0]);
  const { data, error, loading } = useAsync(() => api.item(id, context), [id, context]);
  const current = useRef<HTMLLIElement | null>(null);

  useEffect(() => {
    current.current?.scrollIntoView({ block: 'center' });
  }, [data?.item.id]);

  if (error) return <div className="page"><PageHeader title={t('item.title')} /><ErrorNote error={error} /></div>;
  if (!data) return <div className="page"><Loading /></div>;
  const { item, conversation } = data;
  const onEntity = (span: EntitySpan) => navigate(entityPath(span.type, span.value, item.dataset));
  const nextContext = CONTEXTS.find((c) => c > context);

  return (
    <div className="page page-item">
      <PageHeader title={t('item.conversation')} sub={<><DatasetBadge name={item.dataset} /> <span className="muted">{item.platform}{item.group ? ` · ${t('item.group')} ${item.group}` : ''}</span></>}>
        <AddToCase item={item.id} />
      </PageHeader>
      <div className="split">
        <section className="conversation" aria-label={t('item.conversation')} data-testid="conversation">
          <ol>
            {conversation.map((m) => (
              <li key={m.id} ref={m.id === item.id ? current : undefined} className={`bubble ${m.id === item.id ? 'current' : ''} ${m.from === item.from ? 'mine' : ''}`}>
                <div className="bubble-meta">
                  <Link to={accountPath(m.from, m.dataset)} className="handle">{m.from}</Link>
                  <time dateTime={m.ts}>{formatTime(m.ts)}</time>
                </div>
                {m.id === item.id
                  ? <div className="bubble-body"><EntityText text={m.body} spans={m.entities ?? []} onEntity={onEntity} /></div>
                  : <Link to={itemPath(m.id, highlight)} className="bubble-body">{m.body}</Link>}
              </li>
            ))}
          </ol>
          {loading ? <Loading /> : null}
          {nextContext !== undefined ? (
            <button type="button" className="button" onClick={() => setContext(nextContext)}>{t('item.more', { n: nextContext })}</button>
          ) : null}
        </section>
        <ItemDetail item={item} onEntity={onEntity} />
      </div>
    </div>
  );
}

function ItemDetail({ item, onEntity }: { item: Item; onEntity: (span: EntitySpan) => void }) {
  const t = useT();
  const entities = dedupe(item.entities ?? []);
  return (
    <section className="detail" aria-label={t('item.detail')} data-testid="item-detail">
      <dl className="facts">
        <dt>{t('item.id')}</dt><dd><code>{item.id}</code></dd>
        {item.ref ? <><dt>{t('item.ref')}</dt><dd><code>{item.ref}</code></dd></> : null}
        <dt>{t('item.time')}</dt><dd>{formatTime(item.ts)} UTC</dd>
        <dt>{t('item.from')}</dt><dd><Link to={accountPath(item.from, item.dataset)} className="handle">{item.from}</Link></dd>
        <dt>{t('item.to')}</dt><dd>{item.to.length ? item.to.map((h) => <Link key={h} to={accountPath(h, item.dataset)} className="handle">{h}</Link>) : '—'}</dd>
        {item.lang ? <><dt>{t('item.lang')}</dt><dd>{item.lang}</dd></> : null}
        {item.flags?.length ? <><dt>{t('item.flags')}</dt><dd>{item.flags.map((f) => <span key={f} className="tag">{f}</span>)}</dd></> : null}
      </dl>
      <h3>{t('item.body')}</h3>
      <p className="body-text"><EntityText text={item.body} spans={item.entities ?? []} onEntity={onEntity} /></p>
      {entities.length ? (
        <>
          <h3>{t('item.entities')}</h3>
          <ul className="chips">
            {entities.map((e) => (
              <li key={`${e.type}:${e.value}`}><Link to={entityPath(e.type, e.value, item.dataset)} className={`chip entity-${e.type}`}><span className="chip-type">{e.type}</span>{e.value}</Link></li>
            ))}
          </ul>
        </>
      ) : null}
      {item.attachments.length ? (
        <>
          <h3>{t('item.attachments')}</h3>
          <table className="table">
            <tbody>
              {item.attachments.map((a, i) => (
                <tr key={i}><td>{a.name ?? '—'}</td><td>{a.mime ?? ''}</td><td><code className="hash">{a.sha256 ?? ''}</code></td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h3>{t('item.provenance')}</h3>
      <dl className="facts" data-testid="provenance">
        <dt>{t('item.source')}</dt><dd><code>{item.provenance.sourcePath}</code></dd>
        <dt>SHA-256</dt><dd><code className="hash">{item.provenance.sourceSha256}</code></dd>
        <dt>{t('item.line')}</dt><dd>{item.provenance.line}</dd>
        <dt>{t('item.offset')}</dt><dd>{item.provenance.offset}</dd>
        {item.provenance.format ? <><dt>{t('item.format')}</dt><dd>{item.provenance.format}</dd></> : null}
      </dl>
      {item.extra && Object.keys(item.extra).length ? (
        <>
          <h3>{t('item.extra')}</h3>
          <pre className="raw">{JSON.stringify(item.extra, null, 2)}</pre>
        </>
      ) : null}
    </section>
  );
}

function dedupe(spans: readonly EntitySpan[]): EntitySpan[] {
  const seen = new Map<string, EntitySpan>();
  for (const s of spans) if (!seen.has(`${s.type}:${s.value}`)) seen.set(`${s.type}:${s.value}`, s);
  return [...seen.values()];
}
