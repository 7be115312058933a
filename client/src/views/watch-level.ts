/** « Suivi de ce fil »: how closely the reader follows a thread, saved as soon as it is chosen. */
import { api, type Thread, type WatchLevelName } from '../api';
import { asyncListener, h } from '../dom';
import { errorText } from './view';

const LEVELS: [WatchLevelName, string][] = [
  ['watching', 'Tout suivre : chaque message'],
  ['normal', 'Normal : mentions et réponses'],
  ['muted', 'Sourdine : mentions seulement'],
];

export function watchLevelControl(thread: Thread): HTMLElement {
  let saved: WatchLevelName = thread.watchLevel ?? 'normal';
  const select = h(
    'select',
    { id: 'watch-level', 'aria-describedby': 'watch-level-status' },
    ...LEVELS.map(([value, label]) => h('option', { value, selected: value === saved }, label)),
  );
  const status = h('span', { role: 'status', class: 'meta', id: 'watch-level-status' });
  select.addEventListener(
    'change',
    asyncListener(async () => {
      const level = select.value as WatchLevelName;
      status.className = 'meta';
      status.textContent = 'Enregistrement…';
      try {
        saved = (await api<{ level: WatchLevelName }>('PUT', `/threads/${thread.id}/watch`, { level })).level;
        status.textContent = 'Suivi enregistré.';
      } catch (error) {
        // the choice that did not reach the server is not shown as if it had
        select.value = saved;
        status.className = 'error';
        status.textContent = errorText(error);
      }
    }),
  );
  return h('p', { class: 'watch-level' }, h('label', { for: 'watch-level' }, 'Suivi de ce fil'), select, status);
}
