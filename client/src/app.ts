/** The shell: who is signed in, the header with the connection state, and the hash router that mounts one view. */
import { api, ApiError, isAbort, setUnauthorizedHandler, token, type ModerationCountShape, type User } from './api';
import { clear, h } from './dom';
import { CONNECTION_LABELS, live, type ConnectionState } from './live';
import { loginView } from './views/login';
import { errorText, notFoundView, type View, type ViewContext } from './views/view';
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
  { pattern: /^\/(?:recherche|search)$/, view: searchView },
  { pattern: /^\/pratiques\/([0-9a-f-]{36})$/, view: practiceView },
  { pattern: /^\/seances\/([0-9a-f-]{36})$/, view: sessionView },
];

let currentUser: User | null = null;
/** The view on screen: its signal, aborted when it is left, and what to undo then. */
let shown: { leave: AbortController; cleanups: (() => void)[] } | undefined;
/** What the header listens to, undone when it is drawn again. */
const headerCleanups: (() => void)[] = [];

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
  if (bearer && currentUser) live.start(bearer, currentUser.id, signOut);
}

setUnauthorizedHandler(() => {
  if (currentUser) signOut();
});

/**
 * The header, sticky so the connection state stays in sight on a phone: the sections, a search box that opens the
 * search screen, the connection state, and for moderators the number of posts waiting in the moderation queue.
 */
function renderHeader(): void {
  const header = document.getElementById('site-header');
  if (!header) return;
  for (const cleanup of headerCleanups.splice(0)) cleanup();
  clear(header);
  const brand = h('a', { class: 'brand', href: '#/' }, 'Essor');
  if (!currentUser) {
    header.append(brand);
    return;
  }
  const moderator = hasRole(currentUser.role, 'moderator');
  const state = h('span', { class: 'connection', id: 'connection-state', role: 'status' });
  const openReports = h('span', { class: 'count', id: 'open-reports', hidden: true });
  const nav = h(
    'nav',
    { 'aria-label': 'Navigation principale' },
    h(
      'ul',
      {},
      h('li', {}, h('a', { href: '#/themes' }, 'Thèmes')),
      h('li', {}, h('a', { href: '#/seances' }, 'Séances')),
      h('li', {}, h('a', { href: '#/pratiques' }, 'Pratiques')),
      moderator ? h('li', {}, h('a', { href: '#/moderation' }, 'File de modération', openReports)) : null,
      moderator ? h('li', {}, h('a', { href: '#/administration' }, 'Administration')) : null,
    ),
  );
  header.append(
    brand,
    nav,
    searchBox(),
    h(
      'div',
      { class: 'account' },
      state,
      h('span', { class: 'who' }, currentUser.displayName),
      h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Se déconnecter'),
    ),
  );
  const show = (s: ConnectionState): void => {
    state.dataset.state = s;
    state.textContent = CONNECTION_LABELS[s];
  };
  headerCleanups.push(live.onState(show));
  if (moderator) followOpenReports(openReports);
  // the header's height, so that a control focused from the keyboard is scrolled into view below it, not under it
  const observer = new ResizeObserver(() => document.documentElement.style.setProperty('--header-height', `${header.offsetHeight}px`));
  observer.observe(header);
  headerCleanups.push(() => observer.disconnect());
  markCurrentNav();
}

/** The header's search box: the search screen with the words typed, whatever screen one is on. */
function searchBox(): HTMLFormElement {
  const input = h('input', { id: 'header-search', type: 'search', name: 'q', maxlength: 200, placeholder: 'Rechercher…' });
  const form = h(
    'form',
    { class: 'header-search', role: 'search', 'aria-label': 'Recherche dans Essor' },
    h('label', { for: 'header-search', class: 'visually-hidden' }, 'Rechercher dans Essor'),
    input,
    h('button', { type: 'submit', class: 'secondary' }, 'Chercher'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return input.focus();
    input.value = '';
    navigate(`/recherche?${new URLSearchParams({ q })}`);
  });
  return form;
}

/** The number of posts waiting for moderators: read at start and after each reconnection, then followed live. */
function followOpenReports(badge: HTMLElement): void {
  const show = ({ open }: ModerationCountShape): void => {
    badge.hidden = open === 0;
    badge.replaceChildren(String(open), h('span', { class: 'visually-hidden' }, open > 1 ? ' signalements en attente' : ' signalement en attente'));
  };
  const read = (): void => {
    api<ModerationCountShape>('GET', '/moderation/count').then(show, () => undefined);
  };
  headerCleanups.push(live.on('moderation:count', show), live.onConnect(read));
  read();
}

function markCurrentNav(): void {
  const path = currentPath();
  document.querySelectorAll<HTMLAnchorElement>('.site-header nav a').forEach((a) => {
    const target = a.getAttribute('href')?.slice(1) ?? '';
    const section = path === '/' || path.startsWith('/fils') ? '/themes' : `/${path.split(/[/?]/)[1]}`;
    if (section === target) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

/** Leaves the view on screen: its loads are cancelled and its listeners removed, so it can never draw again. */
function leaveView(): void {
  if (!shown) return;
  shown.leave.abort();
  for (const cleanup of shown.cleanups.splice(0)) cleanup();
  shown = undefined;
}

async function render(): Promise<void> {
  leaveView();
  const main = document.getElementById('main') as HTMLElement;
  // each view draws into a container of its own, taken off the page when it is left
  const container = h('div', { class: 'view' });
  main.replaceChildren(container);
  const path = currentPath();
  if (!currentUser) {
    loginView(container, { onSignedIn: (user, accessToken) => signedIn(user, accessToken, path) });
    return;
  }
  if (path === '/connexion') {
    navigate('/');
    return;
  }
  markCurrentNav();
  const [pathname, search = ''] = path.split('?');
  const route = routes.find((r) => r.pattern.test(pathname));
  const view = { leave: new AbortController(), cleanups: [] as (() => void)[] };
  shown = view;
  const onLeave = (cleanup: () => void): void => {
    if (view.leave.signal.aborted) cleanup();
    else view.cleanups.push(cleanup);
  };
  const context: ViewContext = {
    user: currentUser,
    params: route ? (route.pattern.exec(pathname) ?? []).slice(1) : [],
    query: new URLSearchParams(search),
    navigate,
    signal: view.leave.signal,
    onLeave,
    retry: () => void render(),
  };
  const result = (route?.view ?? notFoundView)(container, context);
  const dispose = result instanceof Promise ? await result.catch((error: unknown) => void (isAbort(error) || console.error(error))) : result;
  if (dispose) onLeave(dispose);
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
          h('p', { class: 'error', role: 'alert' }, errorText(error)),
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
