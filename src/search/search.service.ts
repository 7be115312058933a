import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { foldForSearch } from '../common/text';
import { Post } from '../posts/post.entity';
import { Practice } from '../practices/entities/practice.entity';
import { AgendaItem } from '../sessions/entities/agenda-item.entity';
import { Thread } from '../threads/thread.entity';
import { DEFAULT_SEARCH_LIMIT, SearchQuery } from './dto/search.dto';
import { SearchHitView } from './search-hit.view';
import { containsAll, containsPhrase, countOccurrences, countWordStarts, likeCondition, makeSnippet, searchTerms, toPlainText } from './search-text';

/** Each source hands at most this many LIKE matches (the most recent) to the ranking, so a vague query stays cheap. */
export const CANDIDATES_PER_SOURCE = 300;

/**
 * Ranking weights: every word in the hit's own title (1000) beats an exact phrase (200), which beats the words: 10 for
 * each term found as a whole word or word start (8 terms at most), plus one per occurrence (capped at 5 a term).
 */
const ALL_WORDS_IN_TITLE = 1000;
const PHRASE = 200;
const WORD_START = 10;

interface Ranked {
  hit: SearchHitView;
  score: number;
  recency: number;
  /** Breaks ties of recency: SQLite keeps post times to the second, a thread's seq tells which came later. */
  seq?: number;
  context?: Thread['context'];
}

/**
 * Search across thread titles, post bodies and practices. The folded `searchText` columns find candidates with one
 * LIKE per word, or per spelling of a word (accents and case folded away on both sides); ranking, snippets and
 * highlights are computed here on the original text, so offsets point into what the reader sees.
 */
@Injectable()
export class SearchService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(query: SearchQuery): Promise<SearchHitView[]> {
    const terms = searchTerms(query.q);
    if (terms.length === 0) return [];
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    const sources = await Promise.all([this.threads(terms), this.posts(terms), this.practices(terms)]);
    const best = sources
      .flat()
      .sort((a, b) => b.score - a.score || b.recency - a.recency || (b.seq ?? 0) - (a.seq ?? 0) || a.hit.id.localeCompare(b.hit.id))
      .slice(0, limit);
    await this.addContexts(best);
    return best.map(({ hit }) => hit);
  }

  private async threads(terms: string[][]): Promise<Ranked[]> {
    const words = terms.flat();
    const builder = this.dataSource
      .createQueryBuilder(Thread, 'thread')
      .select(['thread.id', 'thread.title', 'thread.topicId', 'thread.context', 'thread.createdAt', 'thread.lastActivityAt'])
      .orderBy('thread.lastActivityAt', 'DESC')
      .limit(CANDIDATES_PER_SOURCE);
    const threads = await matching(builder, 'thread.searchText', terms).getMany();
    return threads.map((thread) => {
      const folded = foldForSearch(thread.title);
      return {
        hit: {
          type: 'thread',
          id: thread.id,
          title: thread.title,
          ...makeSnippet(thread.title, words),
          threadId: thread.id,
          ...(thread.topicId ? { topicId: thread.topicId } : {}),
          createdAt: thread.createdAt.toISOString(),
        },
        score: titleScore(folded, terms) + textScore(folded, terms),
        recency: thread.lastActivityAt.getTime(),
        context: thread.context,
      };
    });
  }

  /** Deleted and hidden posts are never searched: their bodies are not for every reader. */
  private async posts(terms: string[][]): Promise<Ranked[]> {
    const words = terms.flat();
    const builder = this.dataSource
      .createQueryBuilder(Post, 'post')
      .innerJoin('post.thread', 'thread')
      .select(['post.id', 'post.threadId', 'post.seq', 'post.body', 'post.createdAt'])
      .addSelect(['thread.id', 'thread.title', 'thread.topicId', 'thread.context'])
      .where('post.deletedAt IS NULL')
      .andWhere('post.hiddenAt IS NULL')
      .orderBy('post.createdAt', 'DESC')
      .limit(CANDIDATES_PER_SOURCE);
    const posts = await matching(builder, 'post.searchText', terms).getMany();
    return posts.map((post) => {
      const plain = toPlainText(post.body);
      return {
        hit: {
          type: 'post',
          id: post.id,
          title: post.thread.title,
          ...makeSnippet(plain, words),
          threadId: post.threadId,
          seq: post.seq,
          ...(post.thread.topicId ? { topicId: post.thread.topicId } : {}),
          createdAt: post.createdAt.toISOString(),
        },
        score: textScore(foldForSearch(plain), terms),
        recency: post.createdAt.getTime(),
        seq: post.seq,
        context: post.thread.context,
      };
    });
  }

  private async practices(terms: string[][]): Promise<Ranked[]> {
    const words = terms.flat();
    const builder = this.dataSource
      .createQueryBuilder(Practice, 'practice')
      .select(['practice.id', 'practice.title', 'practice.summary', 'practice.description', 'practice.partners', 'practice.threadId'])
      .addSelect(['practice.createdAt', 'practice.updatedAt'])
      .orderBy('practice.updatedAt', 'DESC')
      .limit(CANDIDATES_PER_SOURCE);
    const practices = await matching(builder, 'practice.searchText', terms).getMany();
    return practices.map((practice) => {
      // the snippet comes from the field that holds the most words; the title is shown beside it anyway
      const fields = [practice.summary, toPlainText(practice.description), practice.partners.join(' ; ')];
      const folded = fields.map((field) => foldForSearch(field));
      const matchedWords = folded.map((text) => terms.filter((spellings) => containsAll(text, [spellings])).length);
      const chosen = matchedWords.indexOf(Math.max(...matchedWords));
      const foldedTitle = foldForSearch(practice.title);
      const all = [foldedTitle, ...folded].join('\n');
      return {
        hit: {
          type: 'practice',
          id: practice.id,
          title: practice.title,
          ...makeSnippet(fields[chosen], words),
          threadId: practice.threadId,
          practiceId: practice.id,
          createdAt: practice.createdAt.toISOString(),
        },
        score: titleScore(foldedTitle, terms) + textScore(all, terms),
        recency: practice.updatedAt.getTime(),
      };
    });
  }

  /** Tells which practice or session a thread or post hit belongs to, for the hits kept only. */
  private async addContexts(ranked: Ranked[]): Promise<void> {
    const threadIds = (context: Thread['context']) => [
      ...new Set(ranked.filter((entry) => entry.context === context && entry.hit.threadId).map((entry) => entry.hit.threadId!)),
    ];
    const practiceThreads = threadIds('practice');
    const sessionThreads = threadIds('session');
    const practices = practiceThreads.length
      ? await this.dataSource.manager.find(Practice, { where: { threadId: In(practiceThreads) }, select: { id: true, threadId: true } })
      : [];
    const items = sessionThreads.length
      ? await this.dataSource.manager.find(AgendaItem, {
          where: { threadId: In(sessionThreads) },
          select: { id: true, threadId: true, sessionId: true },
        })
      : [];
    const practiceOf = new Map(practices.map((practice) => [practice.threadId, practice.id]));
    const sessionOf = new Map(items.map((item) => [item.threadId, item.sessionId]));
    for (const { hit } of ranked) {
      if (!hit.threadId || hit.type === 'practice') continue;
      const practiceId = practiceOf.get(hit.threadId);
      const sessionId = sessionOf.get(hit.threadId);
      if (practiceId) hit.practiceId = practiceId;
      if (sessionId) hit.sessionId = sessionId;
    }
  }
}

/** Every term must occur in the folded column, in one of its spellings. */
function matching<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, column: string, terms: string[][]): SelectQueryBuilder<T> {
  for (const [index, spellings] of terms.entries()) builder.andWhere(...likeCondition(column, spellings, `term${index}`));
  return builder;
}

function titleScore(foldedTitle: string, terms: string[][]): number {
  return containsAll(foldedTitle, terms) ? ALL_WORDS_IN_TITLE : 0;
}

function textScore(folded: string, terms: string[][]): number {
  return (containsPhrase(folded, terms) ? PHRASE : 0) + WORD_START * countWordStarts(folded, terms) + countOccurrences(folded, terms);
}
