// Login: user name and password; the server sets the session cookie. The bearer token in the
// answer is not kept (see api.ts).
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import type { Me } from '../api-types.ts';
import { LANGUAGES, useI18n, useT } from '../i18n.tsx';
import { errorMessage } from '../ui.tsx';

export function LoginView({ onLogin }: { onLogin: (me: Me) => void }) {
  const t = useT();
  const { language, setLanguage } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.login(username, password);
      onLogin(await api.me());
    } catch (failure) {
      setError(errorMessage(failure));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-label={t('login.title')}>
        <div className="brand brand-large"><span className="brand-mark" aria-hidden="true" />Lode</div>
        <p className="login-sub">{t('login.sub')}</p>
        <label className="field">
          <span>{t('login.username')}</span>
          <input name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error ? <div className="note note-error" role="alert">{error}</div> : null}
        <button className="button button-primary" type="submit" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
        <p className="login-foot">{t('login.audited')}</p>
        <div className="lang lang-inline" role="group" aria-label={t('language')}>
          {LANGUAGES.map((l) => (
            <button key={l} type="button" className={l === language ? 'active' : undefined} aria-pressed={l === language} onClick={() => setLanguage(l)}>{l.toUpperCase()}</button>
          ))}
        </div>
      </form>
    </div>
  );
}
