/** The shell: who is signed in, the header with the connection state, and the hash router that mounts one view. */
import { api, ApiError, setUnauthorizedHandler, token, type User } from './api';
import { clear, h } from './dom';
import { CONNECTION_LABELS, live } from './live';
import { loginView } from './views/login';
import { notFoundView, type View, type ViewContext } from './views/view';
import { topicsView } from './views/topics';
import { topicView } from './views/topic';
import { threadView } from './views/thread';
import { sessionsView } from './views/sessions';
import { sessionView } from './views/session';
import { practicesView, practiceView } from './views/practices';
import { adminView } from './views/admin';
import { moderationView } from './views/moderation';
import { searchView } from './views/search';
import { practiceFormView } from './views/practice-form';
import { hasRole } from './views/roles';

const routes: { pattern: RegExp; view: View }[] = [
  { pattern: /^\/(?:themes)?$/, view: topicsView },
  { pattern: /^\/themes\/([0-9a-f-]{36})$/, view: topicView },
  { pattern: /^\/fils\/([0-9a-f-]{36})$/, view: threadView },
  { pattern: /^\/seances$/, view: sessionsView },
  { pattern: /^\/pratiques$/, view: practicesView },
  { pattern: /^\/pratiques\/nouvelle$/, view: practiceFormView },
  { pattern: /^\/pratiques\/([0-9a-f-]{36})\/modifier$/, view: practiceFormView },
  { pattern: /^\/administration$/, view: adminView },
  { pattern: /^\/moderation$/, view: moderationView },
  { pattern: /^\/recherche$/, view: searchView },
  { pattern: /^\/pratiques\/([0-9a-f-]{36})$/, view: practiceView },
  { pattern: /^\/seances\/([0-9a-f-]{36})$/, view: sessionView },
];

let currentUser: User | null = null;
let disposeView: (() => void) | undefined;
let renderId = 0;

function currentPath(): string {
  const path = location.hash.replace(/^#/, '');
  return path.startsWith('/') ? path : `/${path}`;
}

export function navigate(path: string): void {
  if (currentPath() === path) void render();
  else location.hash = path;
}

function signOut(): void {
  token.clear();
  currentUser = null;
  live.stop();
  renderHeader();
  navigate('/connexion');
}

function signedIn(user: User, accessToken: string, next: string): void {
  token.set(accessToken);
  currentUser = user;
  startLive();
  renderHeader();
  navigate(next === '/connexion' ? '/' : next);
}

function startLive(): void {
  const bearer = token.get();
  if (bearer) live.start(bearer, signOut);
}

setUnauthorizedHandler(() => {
  if (currentUser) signOut();
});

function renderHeader(): void {
  const header = document.getElementById('site-header');
  if (!header) return;
  clear(header);
  header.append(h('a', { class: 'brand', href: '#/' }, 'Essor'));
  if (!currentUser) return;
  const state = h('span', { class: 'connection', id: 'connection-state', role: 'status', 'data-state': live.connectionState });
  const nav = h(
    'nav',
    { 'aria-label': 'Navigation principale' },
    h(
      'ul',
      {},
      h('li', {}, h('a', { href: '#/themes' }, 'Thèmes')),
      h('li', {}, h('a', { href: '#/seances' }, 'Séances')),
      h('li', {}, h('a', { href: '#/pratiques' }, 'Pratiques')),
      h('li', {}, h('a', { href: '#/recherche' }, 'Recherche')),
      hasRole(currentUser.role, 'moderator') ? h('li', {}, h('a', { href: '#/moderation' }, 'File de modération')) : null,
      hasRole(currentUser.role, 'moderator') ? h('li', {}, h('a', { href: '#/administration' }, 'Administration')) : null,
    ),
  );
  header.append(
    nav,
    h(
      'div',
      { class: 'account' },
      state,
      h('span', { class: 'who' }, currentUser.displayName),
      h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Se déconnecter'),
    ),
  );
  const show = (s: keyof typeof CONNECTION_LABELS): void => {
    state.dataset.state = s;
    state.textContent = CONNECTION_LABELS[s];
  };
  show(live.connectionState);
  stateUnsubscribe?.();
  stateUnsubscribe = live.onState(show);
  markCurrentNav();
}
let stateUnsubscribe: (() => void) | undefined;

function markCurrentNav(): void {
  const path = currentPath();
  document.querySelectorAll<HTMLAnchorElement>('.site-header nav a').forEach((a) => {
    const target = a.getAttribute('href')?.slice(1) ?? '';
    const section = path === '/' || path.startsWith('/fils') ? '/themes' : `/${path.split(/[/?]/)[1]}`;
    if (section === target) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

async function render(): Promise<void> {
  const id = ++renderId;
  disposeView?.();
  disposeView = undefined;
  const main = document.getElementById('main') as HTMLElement;
  const path = currentPath();
  if (!currentUser) {
    clear(main);
    loginView(main, { onSignedIn: (user, accessToken) => signedIn(user, accessToken, path) });
    return;
  }
  if (path === '/connexion') {
    navigate('/');
    return;
  }
  markCurrentNav();
  clear(main);
  const [pathname, search = ''] = path.split('?');
  const route = routes.find((r) => r.pattern.test(pathname));
  const context: ViewContext = {
    user: currentUser,
    params: route ? (route.pattern.exec(pathname) ?? []).slice(1) : [],
    query: new URLSearchParams(search),
    navigate,
  };
  const result = (route?.view ?? notFoundView)(main, context);
  const dispose = result instanceof Promise ? await result.catch(() => undefined) : result;
  if (id !== renderId) dispose?.();
  else disposeView = dispose ?? undefined;
}

async function boot(): Promise<void> {
  // the skip link must not touch the hash, which is the route
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    (document.getElementById('main') as HTMLElement).focus();
  });
  if (token.get()) {
    try {
      currentUser = await api<User>('GET', '/auth/me');
      startLive();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) token.clear();
      else {
        const main = document.getElementById('main') as HTMLElement;
        clear(main);
        main.append(
          h('h1', {}, 'Essor'),
          h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : 'Erreur inattendue.'),
          h('button', { type: 'button', onclick: () => location.reload() }, 'Réessayer'),
        );
        return;
      }
    }
  }
  renderHeader();
  window.addEventListener('hashchange', () => void render());
  await render();
}

void boot();
