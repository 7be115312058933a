import { renderMarkdown } from '../markdown/markdown';

/** What every Essor e-mail is made of: a French subject, and the same content as HTML and as plain text. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface MailPost {
  authorName: string;
  body: string;
  createdAt: Date;
  link: string;
  /** Why this post is in the mail, e.g. « vous a mentionné ». */
  reason?: string;
}

export interface MailThread {
  title: string;
  link: string;
  posts: MailPost[];
  /** Unread posts left out of the mail to keep it short. */
  more: number;
}

export interface MailPractice {
  title: string;
  summary: string;
  metropolis: string;
  link: string;
}

export interface MailSession {
  title: string;
  startsAt: Date;
  place: string | null;
  link: string;
}

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' });

/** « mardi 2 décembre 2026 à 14:00 », in Paris time, as the group meets in France. */
export function frenchDateTime(date: Date): string {
  return PARIS_DATE_TIME.format(date);
}

/**
 * A post's Markdown as safe HTML for a mail (the one renderer of the web client), with the relative links it may hold
 * (mentions) made absolute, since a mail is read away from Essor.
 */
export function postHtml(markdown: string, publicUrl: string): string {
  // the renderer's output quotes every attribute with ", and PUBLIC_URL was validated at start
  return renderMarkdown(markdown).replace(/ href="\//g, ` href="${publicUrl}/`);
}

/** The frame of every mail: greeting, content, and why the person gets it with the way to stop it. */
export function layout(parts: { greetingName: string; html: string; text: string; footer: string; unsubscribeUrl?: string; settingsUrl: string }): {
  html: string;
  text: string;
} {
  const stop = parts.unsubscribeUrl
    ? `<a href="${escapeHtml(parts.unsubscribeUrl)}">Ne plus recevoir ces e-mails</a> · <a href="${escapeHtml(parts.settingsUrl)}">Mes préférences</a>`
    : `<a href="${escapeHtml(parts.settingsUrl)}">Mes préférences</a>`;
  const html = [
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    '<style>body{font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5;max-width:40rem;margin:0 auto;padding:1rem}',
    'blockquote{border-left:3px solid #ccc;margin:0;padding-left:1rem;color:#444}.meta{color:#555;font-size:.9em}',
    'footer{margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem;color:#555;font-size:.85em}</style></head><body>',
    `<p>Bonjour ${escapeHtml(parts.greetingName)},</p>`,
    parts.html,
    `<footer><p>${escapeHtml(parts.footer)}</p><p>${stop}</p></footer>`,
    '</body></html>',
  ].join('\n');
  const text = [
    `Bonjour ${parts.greetingName},`,
    '',
    parts.text.trim(),
    '',
    '-- ',
    parts.footer,
    parts.unsubscribeUrl ? `Ne plus recevoir ces e-mails : ${parts.unsubscribeUrl}` : '',
    `Mes préférences : ${parts.settingsUrl}`,
  ]
    .filter((line, index, lines) => line !== '' || lines[index - 1] !== '')
    .join('\n');
  return { html, text };
}

function postBlock(post: MailPost, publicUrl: string): { html: string; text: string } {
  const who = `${post.authorName}${post.reason ? ` ${post.reason}` : ''}, ${frenchDateTime(post.createdAt)}`;
  return {
    html: `<p class="meta">${escapeHtml(who)}</p><blockquote>${postHtml(post.body, publicUrl)}</blockquote><p><a href="${escapeHtml(post.link)}">Voir le message</a></p>`,
    text: `${who} :\n${post.body
      .trim()
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n')}\nVoir le message : ${post.link}\n`,
  };
}

export function threadBlock(thread: MailThread, publicUrl: string, heading: 'h2' | 'h3'): { html: string; text: string } {
  const posts = thread.posts.map((post) => postBlock(post, publicUrl));
  const more =
    thread.more > 0
      ? `Et ${thread.more} autre${thread.more > 1 ? 's' : ''} message${thread.more > 1 ? 's' : ''} non lu${thread.more > 1 ? 's' : ''}.`
      : '';
  return {
    html: [
      `<${heading}><a href="${escapeHtml(thread.link)}">${escapeHtml(thread.title)}</a></${heading}>`,
      ...posts.map((post) => post.html),
      more ? `<p><a href="${escapeHtml(thread.link)}">${escapeHtml(more)}</a></p>` : '',
    ].join('\n'),
    text: [`« ${thread.title} » (${thread.link})`, '', ...posts.map((post) => post.text), more].join('\n'),
  };
}

export function practiceBlock(practice: MailPractice): { html: string; text: string } {
  return {
    html: `<li><a href="${escapeHtml(practice.link)}">${escapeHtml(practice.title)}</a> (${escapeHtml(practice.metropolis)}) : ${escapeHtml(practice.summary)}</li>`,
    text: `- ${practice.title} (${practice.metropolis}) : ${practice.summary}\n  ${practice.link}`,
  };
}

export function sessionBlock(session: MailSession): { html: string; text: string } {
  const when = frenchDateTime(session.startsAt);
  const place = session.place ? `, ${session.place}` : '';
  return {
    html: `<li><a href="${escapeHtml(session.link)}">${escapeHtml(session.title)}</a> : ${escapeHtml(when + place)}</li>`,
    text: `- ${session.title} : ${when}${place}\n  ${session.link}`,
  };
}

/** RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the link, no sign-in needed. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** « 1 message », « 3 messages »: French plural of a count and a noun that takes an s. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count > 1 ? 's' : ''}`;
}
