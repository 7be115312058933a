/**
 * The practice catalogue: filters by metropolis, theme, lever and stage plus a search, kept in the hash so a
 * filtered list is a link; the metropolis × lever grid; and a practice's sheet with its discussion.
 */
import { api, download, isAbort, type Metropolis, type Practice, type PracticeGridShape, type Topic } from '../api';
import { append, h, timeEl } from '../dom';
import { safeHtml, safeUrl } from '../safe-html';
import { attachmentList } from './attachments';
import { hasRole } from './roles';
import { mountThread } from './thread';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

export const LEVERS: Record<string, string> = {
  'ecosystem-support': 'Soutien à l’écosystème d’accompagnement et de financement',
  'direct-support': 'Soutien direct aux structures de l’ESS',
  'land-and-third-places': 'Accès au foncier et tiers-lieux',
  'social-rnd': 'R&D sociale et dynamiques collaboratives',
  'responsible-purchasing': 'Achats socialement responsables',
  'local-dynamics': 'Animation de la dynamique locale et sensibilisation',
};
export const STAGES: Record<string, string> = { idea: 'Idée', pilot: 'Expérimentation', running: 'En fonctionnement', scaled: 'Essaimage' };
const FILTERS = ['metropolis', 'topic', 'lever', 'stage', 'q'] as const;

function select(id: string, label: string, options: [string, string][], value: string, all = 'Tous'): [HTMLElement, HTMLSelectElement] {
  const el = h(
    'select',
    { id, name: id },
    h('option', { value: '' }, all),
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
  return [h('div', { class: 'field' }, h('label', { for: id }, label), el), el];
}

export const practicesView: View = async (main, { query, signal, retry }) => {
  main.append(pageHeading('Fiches pratiques'));
  const status = loading('Chargement du catalogue…');
  main.append(status);
  let metropolises: Metropolis[];
  let topics: Topic[];
  try {
    [metropolises, topics] = await Promise.all([
      api<Metropolis[]>('GET', '/metropolises', undefined, signal),
      api<Topic[]>('GET', '/topics', undefined, signal),
    ]);
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
    return;
  }
  status.remove();

  const [metropolisField, metropolis] = select(
    'f-metropolis',
    'Métropole',
    metropolises.map((m) => [m.slug, m.name]),
    query.get('metropolis') ?? '',
    'Toutes',
  );
  const [topicField, topic] = select(
    'f-topic',
    'Thème',
    topics.map((t) => [t.slug, t.title]),
    query.get('topic') ?? '',
  );
  const [leverField, lever] = select('f-lever', 'Levier', Object.entries(LEVERS), query.get('lever') ?? '');
  const [stageField, stage] = select('f-stage', 'Stade', Object.entries(STAGES), query.get('stage') ?? '');
  const search = h('input', { id: 'f-q', name: 'q', type: 'search', value: query.get('q') ?? '' });
  const form = h(
    'form',
    { class: 'card filters', role: 'search', 'aria-label': 'Filtrer les fiches' },
    metropolisField,
    topicField,
    leverField,
    stageField,
    h('div', { class: 'field' }, h('label', { for: 'f-q' }, 'Recherche'), search),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Filtrer'), h('button', { type: 'reset', class: 'secondary' }, 'Effacer')),
  );
  const count = h('p', { role: 'status', class: 'meta', id: 'practice-count' });
  const results = h('ul', { class: 'cards', id: 'practices' });
  const exports = h(
    'p',
    { class: 'row' },
    h('button', { type: 'button', class: 'secondary small', onclick: () => void exportAs('csv') }, 'Exporter en CSV'),
    h('button', { type: 'button', class: 'secondary small', onclick: () => void exportAs('json') }, 'Exporter en JSON'),
  );
  const gridSection = h('section', { 'aria-labelledby': 'grid-heading' }, h('h2', { id: 'grid-heading' }, 'Qui fait quoi : métropoles × leviers'));
  main.append(h('p', {}, h('a', { href: '#/pratiques/nouvelle', class: 'button' }, 'Publier une fiche')), form, count, results, exports, gridSection);

  const filters = (): URLSearchParams => {
    const params = new URLSearchParams();
    const values = { metropolis: metropolis.value, topic: topic.value, lever: lever.value, stage: stage.value, q: search.value.trim() };
    for (const key of FILTERS) if (values[key]) params.set(key, values[key]);
    return params;
  };
  let loadId = 0;
  const load = async (): Promise<void> => {
    const id = ++loadId;
    const params = filters();
    // the filters go into the address without a hashchange, so the form keeps its focus
    history.replaceState(null, '', `#/pratiques${params.toString() ? `?${params}` : ''}`);
    count.textContent = 'Recherche…';
    try {
      const practices = await api<Practice[]>('GET', `/practices?${params}&limit=200`, undefined, signal);
      if (id !== loadId) return;
      count.textContent = `${practices.length} fiche${practices.length > 1 ? 's' : ''}`;
      results.replaceChildren(...practices.map(practiceCard));
    } catch (error) {
      if (id !== loadId || isAbort(error)) return;
      count.textContent = '';
      results.replaceChildren(h('li', {}, errorBox(error, retry)));
    }
  };
  const exportAs = async (format: 'csv' | 'json'): Promise<void> => {
    const params = filters();
    params.set('format', format);
    try {
      await download(`/practices/export?${params}`, `fiches-pratiques.${format}`);
    } catch (error) {
      count.textContent = errorText(error);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  form.addEventListener('reset', () => setTimeout(() => void load()));
  for (const el of [metropolis, topic, lever, stage]) el.addEventListener('change', () => void load());
  await load();
  void api<PracticeGridShape>('GET', '/practices/grid', undefined, signal)
    .then((grid) => gridSection.append(gridTable(grid)))
    .catch((error: unknown) => gridSection.append(errorBox(error, retry)));
};

function practiceCard(practice: Practice): HTMLElement {
  return h(
    'li',
    { class: 'card' },
    h('h2', {}, h('a', { href: `#/pratiques/${practice.id}` }, practice.title)),
    h('p', { class: 'meta' }, practice.metropolis?.name ?? '', ' · ', STAGES[practice.stage] ?? practice.stage),
    h('p', {}, practice.summary),
    practice.levers.length
      ? h(
          'p',
          { class: 'tags' },
          practice.levers.map((l) => h('span', { class: 'badge' }, LEVERS[l] ?? l)),
        )
      : null,
  );
}

function gridTable(grid: PracticeGridShape): HTMLElement {
  const rows = grid.rows.filter((row) => row.total > 0);
  const table = h(
    'table',
    { class: 'grid' },
    h('caption', { class: 'meta' }, `Nombre de fiches par levier ; ${grid.rows.length - rows.length} métropoles sans fiche pour l’instant.`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Métropole'),
        grid.levers.map((l) => h('th', { scope: 'col' }, l.label)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, row.metropolis.name),
          grid.levers.map((l) => {
            const n = row.counts[l.key] ?? 0;
            return h(
              'td',
              { class: n ? 'has' : '' },
              n ? h('a', { href: `#/pratiques?metropolis=${row.metropolis.slug}&lever=${l.key}` }, String(n)) : '0',
            );
          }),
        ),
      ),
    ),
  );
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Grille métropoles × leviers' }, table);
}

export const practiceView: View = async (main, context) => {
  const [id] = context.params;
  const status = loading('Chargement de la fiche…');
  main.append(h('p', { class: 'breadcrumb' }, h('a', { href: '#/pratiques' }, '← Fiches pratiques')), status);
  let practice: Practice;
  try {
    practice = await api<Practice>('GET', `/practices/${id}`, undefined, context.signal);
  } catch (error) {
    status.replaceWith(errorBox(error, context.retry));
    return;
  }
  status.remove();
  const dl = h('dl', { class: 'sheet' });
  const row = (term: string, ...value: (Node | string | null)[]): void => {
    const dd = h('dd');
    append(dd, value);
    dl.append(h('dt', {}, term), dd);
  };
  row('Métropole', practice.metropolis?.name ?? '—');
  row('Stade', STAGES[practice.stage] ?? practice.stage);
  row(
    'Leviers',
    practice.levers.length
      ? h(
          'ul',
          {},
          practice.levers.map((l) => h('li', {}, LEVERS[l] ?? l)),
        )
      : '—',
  );
  row(
    'Thèmes',
    practice.topics.length
      ? h(
          'ul',
          {},
          practice.topics.map((t) => h('li', {}, h('a', { href: `#/themes/${t.id}` }, t.title))),
        )
      : '—',
  );
  row(
    'Partenaires',
    practice.partners.length
      ? h(
          'ul',
          {},
          practice.partners.map((p) => h('li', {}, p)),
        )
      : '—',
  );
  const links = practice.links.map((link) => [link, safeUrl(link)] as const);
  row(
    'Liens',
    links.length
      ? h(
          'ul',
          {},
          links.map(([text, href]) => h('li', {}, href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }, text) : text)),
        )
      : '—',
  );
  row('Contact', practice.contact ?? '—');
  row('Documents', attachmentList(practice.attachments) ?? '—');
  row('Mise à jour', timeEl(practice.updatedAt));
  const me = context.user;
  const mayEdit = hasRole(me.role, 'moderator') || practice.author?.id === me.id || (!!me.metropolis && practice.metropolis?.id === me.metropolis.id);
  const description = h('div', { class: 'post-body' });
  description.append(safeHtml(practice.descriptionHtml));
  const discussion = h('section', { class: 'discussion' });
  main.append(
    h(
      'article',
      { class: 'card' },
      pageHeading(practice.title),
      h('p', { class: 'lead' }, practice.summary),
      mayEdit ? h('p', {}, h('a', { href: `#/pratiques/${practice.id}/modifier`, class: 'button secondary' }, 'Modifier la fiche')) : null,
      dl,
      h('h2', {}, 'Description'),
      description,
    ),
    discussion,
  );
  return mountThread(discussion, context, practice.threadId, { embedded: true, heading: 'Discussion sur la fiche' });
};
