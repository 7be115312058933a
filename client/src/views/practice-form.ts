/** Publishing and editing a practice sheet (the author, a participant of the same metropolis, or a moderator). */
import { api, type Metropolis, type Practice, type Topic } from '../api';
import { h, onSubmit } from '../dom';
import { checkText, checkUrls } from '../errors';
import { attachmentPicker } from './attachments';
import { LEVERS, STAGES } from './practices';
import { hasRole } from './roles';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export const practiceFormView: View = async (main, { params: [id], user, navigate, signal, retry }) => {
  const moderator = hasRole(user.role, 'moderator');
  main.append(h('p', { class: 'breadcrumb' }, h('a', { href: id ? `#/pratiques/${id}` : '#/pratiques' }, id ? '← La fiche' : '← Fiches pratiques')));
  const status = loading();
  main.append(status);
  let topics: Topic[];
  let metropolises: Metropolis[];
  let practice: Practice | undefined;
  try {
    [topics, metropolises, practice] = await Promise.all([
      api<Topic[]>('GET', '/topics', undefined, signal),
      moderator ? api<Metropolis[]>('GET', '/metropolises', undefined, signal) : Promise.resolve([]),
      id ? api<Practice>('GET', `/practices/${id}`, undefined, signal) : Promise.resolve(undefined),
    ]);
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
    return;
  }
  status.remove();
  main.append(pageHeading(practice ? `Modifier « ${practice.title} »` : 'Nouvelle fiche pratique'));

  const field = (key: string, label: string, control: HTMLElement, help?: string): HTMLElement =>
    h('div', { class: 'field' }, h('label', { for: `p-${key}` }, label), control, help ? h('small', { id: `p-${key}-help` }, help) : null);
  const input = (key: string, value = '', max = 200): HTMLInputElement => h('input', { id: `p-${key}`, value, maxlength: max });
  const area = (key: string, value = '', rows = 4, help = false): HTMLTextAreaElement => {
    const el = h('textarea', { id: `p-${key}`, rows, 'aria-describedby': help ? `p-${key}-help` : null });
    el.value = value;
    return el;
  };
  const checks = (legend: string, name: string, options: [string, string][], chosen: string[]): [HTMLElement, () => string[]] => {
    const boxes = options.map(([value, label]) => {
      const box = h('input', { type: 'checkbox', name, value, id: `p-${name}-${value}`, checked: chosen.includes(value) });
      return [box, h('label', { for: box.id, class: 'check' }, box, ` ${label}`)] as const;
    });
    return [
      h(
        'fieldset',
        { class: 'field' },
        h('legend', {}, legend),
        boxes.map(([, label]) => label),
      ),
      () => boxes.filter(([b]) => b.checked).map(([b]) => b.value),
    ];
  };

  const title = input('title', practice?.title);
  const summary = area('summary', practice?.summary, 3);
  const description = area('description', practice?.description, 8, true);
  const stage = h(
    'select',
    { id: 'p-stage' },
    Object.entries(STAGES).map(([v, l]) => h('option', { value: v, selected: v === (practice?.stage ?? 'running') }, l)),
  );
  const [leverSet, levers] = checks('Leviers', 'levers', Object.entries(LEVERS), practice?.levers ?? []);
  const [topicSet, topicIds] = checks(
    'Thèmes',
    'topics',
    topics.map((t) => [t.id, t.title]),
    practice?.topics.map((t) => t.id) ?? [],
  );
  const partners = area('partners', practice?.partners.join('\n'), 3, true);
  const links = area('links', practice?.links.join('\n'), 2, true);
  const contact = input('contact', practice?.contact ?? '', 500);
  const metropolis = moderator
    ? h(
        'select',
        { id: 'p-metropolis' },
        h('option', { value: '' }, practice ? 'Inchangée' : 'Choisir…'),
        metropolises.map((m) => h('option', { value: m.id, selected: m.id === practice?.metropolis?.id }, m.name)),
      )
    : null;
  const files = attachmentPicker('p-files', practice?.attachments);
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    field('title', 'Titre', title),
    metropolis ? field('metropolis', 'Métropole', metropolis) : null,
    field('summary', 'Résumé', summary),
    field('description', 'Description', description, 'Markdown accepté.'),
    field('stage', 'Stade', stage),
    leverSet,
    topicSet,
    field('partners', 'Partenaires', partners, 'Un partenaire par ligne.'),
    field('links', 'Liens', links, 'Une adresse http(s) par ligne.'),
    field('contact', 'Contact', contact),
    files.el,
    error,
    h('button', { type: 'submit' }, practice ? 'Enregistrer la fiche' : 'Publier la fiche'),
  );
  onSubmit(form, async () => {
    error.textContent = '';
    if (!title.value.trim() || !summary.value.trim() || !description.value.trim()) {
      error.textContent = 'Le titre, le résumé et la description sont obligatoires.';
      return;
    }
    const refused =
      checkText('Titre', title.value, { max: 200 }) ??
      checkText('Résumé', summary.value, { max: 1000 }) ??
      checkText('Description', description.value, { max: 20_000 }) ??
      lines(partners.value)
        .map((partner) => checkText('Partenaire', partner, { max: 200 }))
        .find(Boolean) ??
      checkUrls('Liens', lines(links.value)) ??
      checkText('Contact', contact.value, { max: 500 }) ??
      (files.busy() ? 'Attendez la fin de l’envoi des fichiers.' : undefined);
    if (refused) {
      error.textContent = refused;
      return;
    }
    const body = {
      title: title.value.trim(),
      summary: summary.value.trim(),
      description: description.value,
      stage: stage.value,
      levers: levers(),
      topicIds: topicIds(),
      partners: lines(partners.value),
      links: lines(links.value),
      contact: contact.value.trim() || null,
      attachmentIds: files.ids(),
      ...(metropolis?.value ? { metropolisId: metropolis.value } : {}),
    };
    try {
      const saved = await api<Practice>(practice ? 'PATCH' : 'POST', practice ? `/practices/${practice.id}` : '/practices', body);
      navigate(`/pratiques/${saved.id}`);
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  main.append(form);
};
