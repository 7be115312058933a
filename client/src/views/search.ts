import { api, type SearchHitShape } from '../api';
import { h, timeEl } from '../dom';
import { errorBox, loading, pageHeading, type View } from './view';

type Hit = SearchHitShape;

const TYPE_LABELS: Record<Hit['type'], string> = { thread: 'Fil', post: 'Message', practice: 'Fiche pratique' };

/** Search across threads, posts and practices; the query is in the address so results are a link. */
export const searchView: View = async (main, { query, navigate, signal, retry }) => {
  main.append(pageHeading('Recherche'));
  const q = query.get('q') ?? '';
  const input = h('input', { id: 'search-q', type: 'search', name: 'q', value: q, required: true });
  const form = h(
    'form',
    { class: 'card row', role: 'search' },
    h('label', { for: 'search-q', class: 'visually-hidden' }, 'Rechercher dans les fils, messages et fiches'),
    input,
    h('button', { type: 'submit' }, 'Rechercher'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim()) navigate(`/recherche?${new URLSearchParams({ q: input.value.trim() })}`);
  });
  main.append(form);
  if (!q.trim()) return;
  const status = loading('Recherche…');
  main.append(status);
  try {
    const hits = await api<Hit[]>('GET', `/search?${new URLSearchParams({ q })}`, undefined, signal);
    status.replaceWith(h('p', { role: 'status', class: 'meta' }, `${hits.length} résultat${hits.length > 1 ? 's' : ''} pour « ${q} »`));
    main.append(h('ol', { class: 'threads', id: 'search-results' }, hits.map(hitItem)));
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
  }
};

function hitItem(hit: Hit): HTMLElement {
  const href =
    hit.type === 'practice' || (hit.practiceId && !hit.sessionId)
      ? `#/pratiques/${hit.practiceId ?? hit.id}`
      : hit.sessionId
        ? `#/seances/${hit.sessionId}`
        : `#/fils/${hit.threadId ?? hit.id}`;
  return h(
    'li',
    {},
    h('span', { class: 'badge' }, TYPE_LABELS[hit.type] ?? hit.type),
    ' ',
    h('a', { href }, hit.title),
    h('p', { class: 'snippet' }, highlighted(hit.snippet, hit.highlights)),
    h('span', { class: 'meta' }, timeEl(hit.createdAt)),
  );
}

/** The snippet as text nodes with <mark> around each match: never parsed as HTML. */
function highlighted(snippet: string, ranges: [number, number][]): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start) continue;
    nodes.push(document.createTextNode(snippet.slice(at, start)), h('mark', {}, snippet.slice(start, end)));
    at = end;
  }
  nodes.push(document.createTextNode(snippet.slice(at)));
  return nodes;
}
