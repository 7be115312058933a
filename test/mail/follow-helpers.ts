import type { ParsedMail } from 'mailparser';
import { User } from '../../src/users/user.entity';
import type { TestApp, TestUser } from '../support/test-app';
import { rawHeader, recipientsOf } from './smtp-capture';

export interface PostRef {
  id: string;
  threadId: string;
  seq: number;
}

export async function newThread(t: TestApp, author: TestUser, topicId: string, title: string, body: string): Promise<PostRef> {
  const response = await t.http().post(`/api/topics/${topicId}/threads`).set('Authorization', author.auth).send({ title, body }).expect(201);
  return { id: response.body.post.id, threadId: response.body.thread.id, seq: response.body.post.seq };
}

export async function reply(t: TestApp, author: TestUser, threadId: string, body: string, parentId?: string): Promise<PostRef> {
  const response = await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', author.auth).send({ body, parentId }).expect(201);
  return { id: response.body.id, threadId, seq: response.body.seq };
}

export async function readUpTo(t: TestApp, reader: TestUser, threadId: string, seq: number): Promise<void> {
  await t.http().put(`/api/threads/${threadId}/read`).set('Authorization', reader.auth).send({ seq }).expect(200);
}

export async function watch(t: TestApp, person: TestUser, threadId: string, level: 'watching' | 'normal' | 'muted'): Promise<void> {
  await t.http().put(`/api/threads/${threadId}/watch`).set('Authorization', person.auth).send({ level }).expect(200);
}

/** The @handle that mentions this person. */
export async function handleOf(t: TestApp, person: TestUser): Promise<string> {
  const { handle } = await t.dataSource.getRepository(User).findOneByOrFail({ id: person.user.id });
  return `@${handle}`;
}

export function mailsTo(mails: ParsedMail[], person: TestUser): ParsedMail[] {
  return mails.filter((mail) => recipientsOf(mail).includes(person.user.email));
}

/** The one-click target of a mail's List-Unsubscribe header. */
export function unsubscribeUrl(mail: ParsedMail): URL {
  const header = rawHeader(mail, 'List-Unsubscribe');
  if (!header) throw new Error(`no List-Unsubscribe header in « ${mail.subject} »`);
  return new URL(header.replace(/^<|>$/g, ''));
}
