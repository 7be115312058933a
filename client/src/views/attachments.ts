/**
 * Attached files: a picker (drag and drop or a file chooser) that uploads each file at once with its progress, asks
 * an image's alternative text first, and says in French why a file is refused; and the list of a post's, sheet's or
 * session's files (name, kind, size, who, when), with previews of images.
 */
import type { LiveAttachment } from '../../../src/live/live-events';
import { ApiError, download, token } from '../api';
import { formatDate, h } from '../dom';

export type Attachment = LiveAttachment;

const ACCEPT = '.png,.jpg,.jpeg,.webp,.pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.csv,.txt';

/** « 12 ko », « 1,4 Mo » and the extension as the kind of file: « PDF, 1,4 Mo ». */
const facts = (file: Attachment): string =>
  `${(file.name.split('.').pop() ?? '').toUpperCase()}, ${file.size < 1048576 ? `${Math.ceil(file.size / 1024)} ko` : `${(file.size / 1048576).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`}`;

/** XMLHttpRequest rather than fetch: only it reports the upload's progress. */
function send(file: File, alt: string, progress: (fraction: number) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/attachments');
    xhr.setRequestHeader('Authorization', `Bearer ${token.get() ?? ''}`);
    xhr.upload.onprogress = (event) => event.lengthComputable && progress(event.loaded / event.total);
    xhr.responseType = 'json';
    xhr.onload = () => {
      // the server's French message says why (type, size, quota); a proxy's page has none
      const body = (xhr.response ?? {}) as { message?: string | string[] };
      if (xhr.status === 201) resolve(body as Attachment);
      else reject(new ApiError(xhr.status, String(body.message ?? `Envoi refusé (erreur ${xhr.status}).`)));
    };
    xhr.onerror = () => reject(new ApiError(0, 'Le serveur est injoignable : vérifiez votre connexion.'));
    const form = new FormData();
    form.append('file', file);
    if (alt) form.append('alt', alt);
    xhr.send(form);
  });
}

export interface Picker {
  el: HTMLElement;
  /** The ids to send as `attachmentIds`. */
  ids(): string[];
  /** True while a file is still uploading or waits for its alternative text. */
  busy(): boolean;
  reset(): void;
}

/** `id` names the picker's controls; `files` are those already attached (when editing). */
export function attachmentPicker(id: string, files: Attachment[] = []): Picker {
  let done = [...files];
  let pending = 0;
  const list = h('ul', { class: 'attachments' });
  const error = h('p', { class: 'error', role: 'alert' });
  const input = h('input', { type: 'file', id, multiple: true, accept: ACCEPT });

  const item = (file: Attachment): HTMLLIElement => {
    const remove = (): void => {
      done = done.filter((f) => f.id !== file.id);
      li.remove();
    };
    const li = h('li', {}, `${file.name} (${facts(file)}) `, h('button', { type: 'button', class: 'link', onclick: remove }, `Retirer ${file.name}`));
    return li;
  };

  const upload = (file: File, li: HTMLLIElement, alt = ''): void => {
    const bar = h('progress', { max: 1, value: 0, 'aria-label': `Envoi de ${file.name}` });
    li.replaceChildren(`${file.name} `, bar);
    send(file, alt, (fraction) => (bar.value = fraction))
      .then((saved) => {
        done.push(saved);
        li.replaceWith(item(saved));
      })
      .catch((e: unknown) => {
        li.remove();
        error.textContent = `${file.name} : ${e instanceof Error ? e.message : 'erreur inattendue.'}`;
      })
      .finally(() => pending--);
  };

  /** An image waits for its alternative text; any other file goes at once. */
  const add = (picked: FileList | null): void => {
    error.textContent = '';
    for (const file of Array.from(picked ?? [])) {
      pending++;
      const li = h('li', {});
      list.append(li);
      if (!file.type.startsWith('image/')) {
        upload(file, li);
        continue;
      }
      const altId = `${id}-alt-${list.children.length}`;
      const alt = h('input', { id: altId, maxlength: 1000 });
      li.append(
        h('label', { for: altId }, `Texte alternatif de l’image ${file.name} (ce qu’elle montre)`),
        alt,
        h('button', { type: 'button', class: 'secondary small', onclick: () => upload(file, li, alt.value.trim()) }, 'Joindre l’image'),
      );
      alt.focus();
    }
    input.value = '';
  };
  input.addEventListener('change', () => add(input.files));

  const zone = h(
    'div',
    { class: 'dropzone' },
    h('label', { for: id }, 'Glissez des fichiers ici ou choisissez-les'),
    input,
    h('small', {}, 'PDF, images, OpenDocument, Office, CSV, texte.'),
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    add(event.dataTransfer?.files ?? null);
  });
  list.append(...done.map(item));
  return {
    el: h('fieldset', { class: 'field' }, h('legend', {}, 'Pièces jointes'), zone, list, error),
    ids: () => done.map((f) => f.id),
    busy: () => pending > 0,
    reset: () => {
      done = [];
      list.replaceChildren();
      error.textContent = '';
    },
  };
}

/** The files of a post, sheet or session; images as previews when `previews`. Null when there is none. */
export function attachmentList(files: Attachment[] | undefined, previews = false): HTMLElement | null {
  if (!files?.length) return null;
  return h(
    'ul',
    { class: 'attachments', 'aria-label': 'Pièces jointes' },
    files.map((file) => {
      const img = previews && file.previewUrl ? h('img', { alt: file.alt ?? '', class: 'preview', width: file.width, height: file.height }) : null;
      // the preview needs the bearer token, which an <img src> cannot send: it is fetched, then shown from memory
      if (img && file.previewUrl)
        void fetch(file.previewUrl, { headers: { Authorization: `Bearer ${token.get() ?? ''}` } })
          .then((r) => (r.ok ? r.blob() : null))
          .then((blob) => blob && (img.src = URL.createObjectURL(blob)));
      return h(
        'li',
        {},
        img,
        h('button', { type: 'button', class: 'link', onclick: () => void download(file.url.slice(4), file.name) }, file.name),
        h('span', { class: 'meta' }, ` ${facts(file)} · ${file.uploader.displayName} · ${formatDate(file.createdAt)}`),
      );
    }),
  );
}
