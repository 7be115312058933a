/**
 * A session's minutes on screen (#/seances/<id>/compte-rendu): the server's minutes (cooked from its Markdown), with
 * « Imprimer / PDF » (the print stylesheet leaves the page's chrome out) and the Markdown download.
 */
import { api, download, type MinutesShape } from '../api';
import { h } from '../dom';
import { safeHtml } from '../safe-html';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

export const minutesView: View = async (main, { params, signal, retry }) => {
  const [sessionId] = params;
  const status = loading('Chargement du compte rendu…');
  main.append(h('p', { class: 'breadcrumb no-print' }, h('a', { href: `#/seances/${sessionId}` }, '← Séance')), status);
  let minutes: MinutesShape;
  try {
    minutes = await api<MinutesShape>('GET', `/sessions/${sessionId}/minutes/html`, undefined, signal);
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
    return;
  }
  const sheet = h('article', { class: 'minutes', id: 'minutes' }, safeHtml(minutes.html));
  // the cooked minutes start at h3, below a post's page: their title becomes the page's h1, the rest moves up two levels
  const title = sheet.querySelector('h3');
  title?.remove();
  for (const heading of Array.from(sheet.querySelectorAll<HTMLHeadingElement>('h4, h5, h6'))) {
    const level = h(`h${Number(heading.tagName[1]) - 2}` as 'h2', {}, ...Array.from(heading.childNodes));
    heading.replaceWith(level);
  }
  const message = h('span', { role: 'status', class: 'meta' });
  status.replaceWith(
    pageHeading(title?.textContent ?? 'Compte rendu'),
    h(
      'p',
      { class: 'row no-print' },
      h('button', { type: 'button', onclick: () => window.print() }, 'Imprimer / PDF'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () =>
            void download(`/sessions/${sessionId}/minutes`, minutes.fileName).catch((e: unknown) => (message.textContent = errorText(e))),
        },
        'Télécharger (Markdown)',
      ),
      message,
    ),
    sheet,
  );
};
