// The signed-in shell: a sidebar of the views the user's role may open, the language switch, the
// keyboard shortcuts, and the route switch. Without a session it shows the login screen.
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from 'react';
import { UNAUTHENTICATED_EVENT, api } from './api.ts';
import type { DatasetSummary, Me } from './api-types.ts';
import { LANGUAGES, type MessageKey, useI18n, useT } from './i18n.tsx';
import { useGlobalKeys } from './keyboard.ts';
import { Link, href, matchPath, navigate, useLocation } from './router.tsx';
import { isSynthetic } from './format.ts';
import { Loading, SessionContext, canSeeEvidence, useSession } from './ui.tsx';
import { LoginView } from './views/login.tsx';
import { SearchView } from './views/search.tsx';
import { ItemView } from './views/item.tsx';
import { AccountView } from './views/account.tsx';
import { EntitiesView, EntityView } from './views/entities.tsx';
import { TimelineView } from './views/timeline.tsx';
import { IngestView } from './views/ingest.tsx';
import { AuditView } from './views/audit.tsx';
import { UsersView } from './views/users.tsx';
import { AlertsView } from './views/alerts.tsx';
import { CaseView, CasesView } from './views/cases.tsx';
import { CampaignsView } from './views/campaigns.tsx';
import { NewCampaignView } from './views/campaign-new.tsx';
import { CampaignView } from './views/campaign-board.tsx';
import { ShortcutsDialog } from './views/shortcuts.tsx';

// sigma and graphology are most of the bundle: loaded when the graph is opened
const GraphView = lazy(() => import('./views/graph.tsx').then((m) => ({ default: m.GraphView })));

type NavItem = { path: string; label: MessageKey; key: string; show: (me: Me) => boolean };

const evidence = canSeeEvidence;
const NAV: NavItem[] = [
  { path: '/search', label: 'nav.search', key: 's', show: evidence },
  { path: '/alerts', label: 'nav.alerts', key: 'a', show: evidence },
  { path: '/cases', label: 'nav.cases', key: 'c', show: (me) => evidence(me) || me.user.role === 'investigator' },
  // the only view of campaign officers, so their landing page (homeOf takes the first item shown)
  { path: '/campaigns', label: 'nav.campaigns', key: 'm', show: (me) => me.user.role === 'admin' || me.user.role === 'campaign-officer' },
  { path: '/entities', label: 'nav.entities', key: 'e', show: evidence },
  { path: '/graph', label: 'nav.graph', key: 'n', show: evidence },
  { path: '/timeline', label: 'nav.timeline', key: 't', show: evidence },
  { path: '/ingest', label: 'nav.ingest', key: 'i', show: evidence },
  { path: '/audit', label: 'nav.audit', key: 'l', show: (me) => me.user.role === 'admin' || me.user.role === 'auditor' },
  { path: '/users', label: 'nav.users', key: 'u', show: (me) => me.user.role === 'admin' },
];

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [datasets, setDatasets] = useState<DatasetSummary[] | undefined>(undefined);
  const location = useLocation();

  const loadMe = useCallback(() => {
    // any failure (401, server down) leads to the login screen, which says what went wrong on submit
    api.me().then(setMe, () => setMe(null));
  }, []);

  const reloadDatasets = useCallback(() => {
    api.datasets().then((answer) => setDatasets(answer.datasets), () => setDatasets([]));
  }, []);

  useEffect(loadMe, [loadMe]);
  useEffect(() => {
    const onLost = () => setMe(null);
    window.addEventListener(UNAUTHENTICATED_EVENT, onLost);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onLost);
  }, []);
  useEffect(() => {
    if (me && canSeeEvidence(me)) reloadDatasets();
    else setDatasets(undefined);
  }, [me, reloadDatasets]);

  if (me === undefined) return <div className="boot"><Loading /></div>;
  if (me === null) return <LoginView onLogin={(signedIn) => {
    setMe(signedIn);
    if (location.path === '/login' || location.path === '/') navigate(homeOf(signedIn), { replace: true });
  }} />;
  return (
    <SessionContext.Provider value={{ me, datasets, reloadDatasets }}>
      <Shell me={me} onLogout={() => setMe(null)} />
    </SessionContext.Provider>
  );
}

function homeOf(me: Me): string {
  return NAV.find((n) => n.show(me))?.path ?? '/search';
}

function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const t = useT();
  const { datasets } = useSession();
  const { language, setLanguage } = useI18n();
  const location = useLocation();
  const [isHelpOpen, setHelpOpen] = useState(false);
  const items = NAV.filter((n) => n.show(me));

  useEffect(() => {
    if (location.path === '/' || location.path === '/login') navigate(homeOf(me), { replace: true });
  }, [location.path, me]);

  useGlobalKeys({
    search: () => {
      const box = document.getElementById('query');
      if (box instanceof HTMLInputElement) {
        box.focus();
        box.select();
      } else if (canSeeEvidence(me)) navigate('/search');
    },
    back: () => {
      if (isHelpOpen) setHelpOpen(false);
      else if (window.history.length > 1) window.history.back();
    },
    help: () => setHelpOpen((open) => !open),
    go: (letter) => {
      const item = items.find((n) => n.key === letter);
      if (item) navigate(item.path);
      return item !== undefined;
    },
  });

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      onLogout();
      navigate('/login', { replace: true });
    }
  };

  return (
    <div className="app">
      <nav className="sidebar" aria-label={t('nav.label')}>
        <div className="brand"><span className="brand-mark" aria-hidden="true" />Lode</div>
        <ul className="nav">
          {items.map((item) => (
            <li key={item.path}>
              <Link to={item.path} className={location.path === item.path || location.path.startsWith(`${item.path}/`) ? 'active' : undefined} title={`g ${item.key}`}>
                {t(item.label)}
              </Link>
            </li>
          ))}
        </ul>
        {datasets?.some((d) => isSynthetic(d.name)) ? <div className="synthetic-note" title={t('synthetic.title')}>{t('synthetic.banner')}</div> : null}
        <div className="sidebar-foot">
          <div className="lang" role="group" aria-label={t('language')}>
            {LANGUAGES.map((l) => (
              <button key={l} type="button" className={l === language ? 'active' : undefined} aria-pressed={l === language} onClick={() => setLanguage(l)}>
                {l.toUpperCase()}
              </button>
            ))}
          </div>
          <div className="who" data-testid="who">
            <span className="who-name">{me.user.name}</span>
            <span className="who-role">{t(`role.${me.user.role}`)}</span>
          </div>
          <button type="button" className="link-button" onClick={() => setHelpOpen(true)}>{t('shortcuts.open')}</button>
          <button type="button" className="link-button" onClick={() => void logout()}>{t('logout')}</button>
        </div>
      </nav>
      <main className="main" id="main">
        <Suspense fallback={<Loading />}>
          <Routes path={location.path} params={location.params} me={me} />
        </Suspense>
      </main>
      {isHelpOpen ? <ShortcutsDialog onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}

function Routes({ path, params, me }: { path: string; params: URLSearchParams; me: Me }): ReactNode {
  const t = useT();
  const get = (name: string) => params.get(name) ?? undefined;
  let m: Record<string, string> | undefined;
  if (path === '/search') return <SearchView q={get('q') ?? ''} dataset={get('dataset')} sort={get('sort')} />;
  if ((m = matchPath('/items/:id', path))) return <ItemView id={m.id!} highlight={get('q')} />;
  if ((m = matchPath('/accounts/:handle', path))) return <AccountView handle={m.handle!} dataset={get('dataset')} platform={get('platform')} />;
  if (path === '/entities') return <EntitiesView type={get('type')} dataset={get('dataset')} />;
  if ((m = matchPath('/entities/:type/:value', path))) return <EntityView type={m.type!} value={m.value!} dataset={get('dataset')} />;
  if (path === '/graph') return <GraphView dataset={get('dataset')} limit={Number(get('limit') ?? 300)} />;
  if (path === '/timeline') return <TimelineView q={get('q') ?? ''} dataset={get('dataset')} />;
  if (path === '/ingest') return <IngestView dataset={get('dataset')} />;
  if (path === '/audit') return <AuditView actor={get('actor')} action={get('action')} />;
  if (path === '/users') return <UsersView />;
  if (path === '/alerts') return <AlertsView kind={get('kind')} status={get('status') ?? 'open'} />;
  if (path === '/cases') return <CasesView />;
  if ((m = matchPath('/cases/:name', path))) return <CaseView name={m.name!} />;
  if (path === '/campaigns') return <CampaignsView />;
  if (path === '/campaigns/new') return <NewCampaignView dataset={get('dataset')} />;
  // one board for the list and an open recipient: the filters survive opening a recipient
  if ((m = matchPath('/campaigns/:name', path) ?? matchPath('/campaigns/:name/:reference', path))) {
    return <CampaignView key={m.name} name={m.name!} reference={m.reference} panel={get('panel')} status={get('status')} q={get('q')} />;
  }
  if (path === '/' || path === '/login') return <Loading />;
  return (
    <div className="page">
      <h1>{t('notfound.title')}</h1>
      <p>{t('notfound.text')} <Link to={href(homeOf(me))}>{t('notfound.home')}</Link></p>
    </div>
  );
}
