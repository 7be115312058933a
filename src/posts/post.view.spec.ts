import { Post } from '../posts/post.entity';
import { User } from '../users/user.entity';
import { toPostView } from './post.view';

function user(overrides: Partial<User> = {}): User {
  return Object.assign(new User(), { id: 'u-author', displayName: 'Alice', role: 'participant', metropolis: null, ...overrides });
}

function post(overrides: Partial<Post> = {}): Post {
  return Object.assign(new Post(), {
    id: 'p1',
    threadId: 't1',
    seq: 3,
    parentId: null,
    authorId: 'u-author',
    author: user(),
    body: 'Texte',
    clientKey: null,
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    editedAt: null,
    deletedAt: null,
    hiddenAt: null,
    attachments: [],
    ...overrides,
  });
}

describe('post view', () => {
  it('shows the body of a visible post to anyone and maps times to ISO strings', () => {
    expect(toPostView(post())).toMatchObject({ body: 'Texte', createdAt: '2026-01-02T03:04:05.678Z', deleted: false, hidden: false });
  });

  it('empties the body of a deleted post for everyone, moderators included', () => {
    const deleted = post({ deletedAt: new Date() });
    expect(toPostView(deleted, user({ id: 'mod', role: 'moderator' })).body).toBe('');
    expect(toPostView(deleted, user()).body).toBe('');
  });

  it('shows a hidden post to moderators and its author only', () => {
    const hidden = post({ hiddenAt: new Date() });
    expect(toPostView(hidden).body).toBe('');
    expect(toPostView(hidden, user({ id: 'someone-else' })).body).toBe('');
    expect(toPostView(hidden, user()).body).toBe('Texte');
    expect(toPostView(hidden, user({ id: 'mod', role: 'moderator' })).body).toBe('Texte');
    expect(toPostView(hidden).hidden).toBe(true);
  });
});
