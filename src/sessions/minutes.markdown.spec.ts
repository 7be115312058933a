import type { Metropolis } from '../metropolises/metropolis.entity';
import type { PollView } from '../polls/poll.view';
import type { Post } from '../posts/post.entity';
import type { User } from '../users/user.entity';
import type { AgendaItem } from './entities/agenda-item.entity';
import type { WorkSession } from './entities/session.entity';
import { dateTime, MinutesData, parisDay, renderMinutes, time } from './minutes.markdown';

const lyon = { id: 'm-lyon', name: 'Métropole de Lyon' } as Metropolis;
const user = (id: string, displayName: string, metropolis: Metropolis | null = null) => ({ id, displayName, metropolis }) as User;
const alice = user('u-alice', 'Alice *la* <b>Grande</b>', lyon);
const bob = user('u-bob', 'Bob');

let seq = 0;
function post(id: string, author: User, body: string, parentId: string | null = null, extra: Partial<Post> = {}): Post {
  seq += 1;
  return {
    id,
    threadId: 't-1',
    seq,
    parentId,
    author,
    authorId: author.id,
    body,
    createdAt: new Date('2026-01-01T09:05:00Z'),
    editedAt: null,
    deletedAt: null,
    hiddenAt: null,
    ...extra,
  } as Post;
}

function poll(options: Array<[string, number]>, extra: Partial<PollView> = {}): PollView {
  return {
    id: 'p-1',
    sessionId: 's-1',
    agendaItemId: 'i-1',
    question: 'Quelle suite ?',
    options: options.map(([label, votes], index) => ({ index, label, votes })),
    status: 'closed',
    myVote: null,
    totalVotes: options.reduce((sum, [, votes]) => sum + votes, 0),
    createdAt: '2026-01-01T09:00:00.000Z',
    closedAt: null,
    hideResultsUntilVoted: true,
    resultsHidden: false,
    ...extra,
  };
}

function data(overrides: Partial<MinutesData> = {}): MinutesData {
  return {
    session: {
      id: 's-1',
      title: '# Séance | spéciale',
      description: '# Un titre dans la description\nSuite',
      startsAt: new Date('2026-01-01T08:00:00Z'),
      endsAt: new Date('2026-01-02T16:00:00Z'),
      location: null,
      videoUrl: 'https://visio.example.org/a b',
      status: 'live',
      startedAt: null,
      closedAt: null,
    } as WorkSession,
    agenda: [
      {
        item: {
          id: 'i-1',
          position: 0,
          title: 'Point [un]',
          topicId: null,
          threadId: 't-1',
          durationMinutes: null,
          startedAt: null,
          endedAt: null,
          decisions: '',
        } as AgendaItem,
        topicTitle: null,
        posts: [],
      },
    ],
    participants: [],
    polls: [],
    moderators: [],
    generatedAt: new Date('2026-01-03T12:00:00Z'),
    ...overrides,
  };
}

describe('minutes rendering', () => {
  it('writes French dates in Paris time, winter and summer, with « 1er »', () => {
    expect(dateTime(new Date('2018-06-19T08:00:00Z'))).toBe('mardi 19 juin 2018, 10 h 00');
    expect(dateTime(new Date('2026-01-01T08:00:00Z'))).toBe('jeudi 1er janvier 2026, 09 h 00');
    expect(time(new Date('2019-03-05T22:30:00Z'))).toBe('23 h 30');
    expect(parisDay(new Date('2019-03-05T23:30:00Z'))).toBe('2019-03-06');
  });

  it('escapes names and titles, quotes the description and says when the session spans days', () => {
    const { markdown, fileName } = renderMinutes(data());
    expect(fileName).toBe('compte-rendu-seance-speciale-2026-01-01.md');
    expect(markdown).toContain('# Compte rendu — \\# Séance \\| spéciale\n');
    expect(markdown).toContain("- **Date** : jeudi 1er janvier 2026, 09 h 00, jusqu'au vendredi 2 janvier 2026, 17 h 00 (heure de Paris)");
    expect(markdown).toContain('- **Visioconférence** : <https://visio.example.org/a%20b>');
    expect(markdown).toContain('- **Statut** : séance en cours');
    expect(markdown).toContain('> # Un titre dans la description\n> Suite');
    expect(markdown).toContain('## 1. Point \\[un\\]');
  });

  it('tells when a session was run', () => {
    const base = data();
    const session = {
      ...base.session,
      status: 'closed',
      startedAt: new Date('2026-01-01T08:02:00Z'),
      closedAt: new Date('2026-01-01T10:15:00Z'),
    } as WorkSession;
    expect(renderMinutes({ ...base, session }).markdown).toContain(
      '- **Statut** : séance terminée (ouverte le jeudi 1er janvier 2026, 09 h 02, close à 11 h 15)',
    );
    const overnight = { ...session, closedAt: new Date('2026-01-02T10:15:00Z') } as WorkSession;
    expect(renderMinutes({ ...base, session: overnight }).markdown).toContain('close le vendredi 2 janvier 2026, 11 h 15)');
  });

  it('names who ran the session, gives each item its real timings and its decisions', () => {
    const base = data();
    const [entry] = base.agenda;
    const item = {
      ...entry.item,
      startedAt: new Date('2026-01-01T08:02:00Z'),
      endedAt: new Date('2026-01-01T08:31:00Z'),
      decisions: '- Une note commune\n# pas un titre',
    } as AgendaItem;
    const markdown = renderMinutes({ ...base, moderators: [alice, bob], agenda: [{ ...entry, item }] }).markdown;
    expect(markdown).toContain('- **Animation** : **Alice \\*la\\* \\<b\\>Grande\\</b\\>** — Métropole de Lyon, **Bob**');
    expect(markdown).toContain('- Horaires réels : de 09 h 02 à 09 h 31 (29 min)');
    expect(markdown).toContain('### Décisions et suites\n\n> - Une note commune\n> # pas un titre');
    const untouched = renderMinutes(base).markdown;
    expect(untouched).not.toContain('Animation');
    expect(untouched).not.toContain('Horaires réels');
    expect(untouched).not.toContain('Décisions et suites');
  });

  it('nests replies by indentation, keeps multi-line bodies inside their item and replaces removed bodies', () => {
    seq = 0;
    const posts = [
      post('a', alice, 'Ligne 1\n\n```\ncode\n```'),
      post('b', bob, 'Réponse', 'a'),
      post('c', bob, 'secret', null, { deletedAt: new Date() }),
      post('d', alice, 'caché', 'b', { hiddenAt: new Date() }),
      post('e', bob, 'Orphelin', 'gone'),
      post('f', alice, 'Modifié', 'a', { editedAt: new Date() }),
    ];
    const { markdown } = renderMinutes(data({ agenda: [{ ...data().agenda[0], posts }] }));
    const discussion = markdown.slice(markdown.indexOf('### Discussion'), markdown.indexOf('---'));
    expect(discussion).toBe(
      [
        '### Discussion',
        '',
        '- **Alice \\*la\\* \\<b\\>Grande\\</b\\>** — Métropole de Lyon, 10 h 05',
        '',
        '  Ligne 1',
        '',
        '  ```',
        '  code',
        '  ```',
        '',
        '  - **Bob**, 10 h 05',
        '',
        '    Réponse',
        '',
        '    - **Alice \\*la\\* \\<b\\>Grande\\</b\\>** — Métropole de Lyon, 10 h 05',
        '',
        '      *[message masqué par la modération]*',
        '',
        '  - **Alice \\*la\\* \\<b\\>Grande\\</b\\>** — Métropole de Lyon, 10 h 05 (modifié)',
        '',
        '    Modifié',
        '',
        '- **Bob**, 10 h 05',
        '',
        '  *[message supprimé]*',
        '',
        '- **Bob**, 10 h 05',
        '',
        '  Orphelin',
        '',
        '',
      ].join('\n'),
    );
    expect(markdown).not.toContain('secret');
    expect(markdown).not.toContain('caché');
  });

  it('caps the indentation of long chains and says whom a deep reply answers', () => {
    seq = 0;
    const chain = Array.from({ length: 11 }, (_, index) =>
      post(`p${index}`, index % 2 ? bob : alice, `n${index}`, index === 0 ? null : `p${index - 1}`),
    );
    const { markdown } = renderMinutes(data({ agenda: [{ ...data().agenda[0], posts: chain }] }));
    const heads = markdown.split('\n').filter((line) => line.includes(', 10 h 05'));
    expect(heads[8]).toBe(`${'  '.repeat(8)}- **Alice \\*la\\* \\<b\\>Grande\\</b\\>** — Métropole de Lyon, 10 h 05`);
    expect(heads[9]).toBe(`${'  '.repeat(8)}- **Bob**, 10 h 05, en réponse à Alice \\*la\\* \\<b\\>Grande\\</b\\>`);
    expect(heads[10]).toBe(`${'  '.repeat(8)}- **Alice \\*la\\* \\<b\\>Grande\\</b\\>** — Métropole de Lyon, 10 h 05, en réponse à Bob`);
  });

  it('marks the winning option, ties, and polls without votes; places loose polls at the end', () => {
    const polls = [
      poll([
        ['Oui', 1],
        ['Non', 2],
        ['Blanc', 0],
      ]),
      poll(
        [
          ['A', 2],
          ['B', 2],
        ],
        { id: 'p-2', question: 'Égalité ?', status: 'open' },
      ),
      poll(
        [
          ['X', 0],
          ['Y', 0],
        ],
        { id: 'p-3', question: 'Personne ?', agendaItemId: null },
      ),
    ];
    const { markdown } = renderMinutes(data({ polls }));
    expect(markdown).toContain(
      '#### Quelle suite ?\n\n_sondage clos · 3 votes_\n\n- Oui : 1 voix (33 %)\n- **Non** : 2 voix (67 %) — **option retenue**\n- Blanc : 0 voix (0 %)',
    );
    expect(markdown).toContain(
      '_sondage encore ouvert, résultats provisoires · 4 votes_\n\n- **A** : 2 voix (50 %) — **ex æquo en tête**\n- **B** : 2 voix (50 %) — **ex æquo en tête**',
    );
    const loose = markdown.slice(markdown.indexOf('## Sondages hors ordre du jour'));
    expect(loose).toContain('### Personne ?\n\n_sondage clos · 0 vote_\n\n- X : 0 voix (—)\n- Y : 0 voix (—)\n\n_Aucun vote exprimé._');
  });

  it('groups participants by metropolis, network staff last', () => {
    const nantes = { id: 'm-n', name: 'Nantes Métropole' } as Metropolis;
    const participants = [user('1', 'Zoé', nantes), user('2', 'Réseau A'), user('3', 'Yves', lyon), user('4', 'Ana', nantes)];
    const { markdown } = renderMinutes(data({ participants }));
    expect(markdown).toContain(
      '## Participants (4)\n\n- **Métropole de Lyon** (1) : Yves\n- **Nantes Métropole** (2) : Ana, Zoé\n- **Réseaux et autres** (1) : Réseau A\n',
    );
  });
});
