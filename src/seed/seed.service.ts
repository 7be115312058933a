import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { slugify } from '../common/text';
import { Database } from '../database/database.service';
import { Metropolis } from '../metropolises/metropolis.entity';
import { PracticeLever } from '../practices/entities/practice-lever.entity';
import { Practice } from '../practices/entities/practice.entity';
import { indexDocuments, practiceDocument } from '../search/search-index';
import { AgendaItem } from '../sessions/entities/agenda-item.entity';
import { WorkSession } from '../sessions/entities/session.entity';
import { renderMarkdown } from '../markdown/markdown';
import { ThreadsService } from '../threads/threads.service';
import { Topic } from '../topics/topic.entity';
import { TopicsService } from '../topics/topics.service';
import { User } from '../users/user.entity';
import { METROPOLISES, SEED_PRACTICE, SEED_SESSIONS, THEMES } from './seed-data';

/** The account that stands as author of seeded threads: no one signs in with it (its hash matches no password). */
export const SYSTEM_USER_EMAIL = 'equipe@essor.invalid';

/** Any key shared by every instance, so that two instances seeding at once take turns on PostgreSQL. */
const SEED_LOCK_KEY = 4_281_990;

/**
 * Loads the seed data of PRODUCT.md. Idempotent: every row is found by its natural key (slug, title and date)
 * before it is created, so running it twice changes nothing.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly database: Database,
    private readonly topics: TopicsService,
    private readonly threads: ThreadsService,
  ) {}

  async run(): Promise<void> {
    await this.database.write(async (manager) => {
      if (!this.database.isSqlite) await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
      const system = await this.ensureSystemUser(manager);
      const metropolises = await this.ensureMetropolises(manager);
      const themes = new Map<string, Topic>();
      for (const [position, theme] of THEMES.entries()) {
        themes.set(theme.title, await this.topics.ensure(manager, theme.title, theme.description, position));
      }
      await this.ensurePractice(manager, system, metropolises, themes);
      await this.ensureSessions(manager, system, themes);
    });
    this.logger.log('Seed data present: 22 metropolises, 4 themes, 1 practice, 2 sessions');
  }

  private async ensureSystemUser(manager: EntityManager): Promise<User> {
    const existing = await manager.findOneBy(User, { email: SYSTEM_USER_EMAIL });
    if (existing) return existing;
    return manager.save(
      User,
      manager.create(User, {
        email: SYSTEM_USER_EMAIL,
        passwordHash: '!',
        displayName: 'Équipe Essor',
        role: 'participant',
        metropolisId: null,
        disabled: true,
      }),
    );
  }

  private async ensureMetropolises(manager: EntityManager): Promise<Map<string, Metropolis>> {
    const slugs = METROPOLISES.map((metropolis) => slugify(metropolis.name));
    const existing = await manager.findBy(Metropolis, { slug: In(slugs) });
    const bySlug = new Map(existing.map((metropolis) => [metropolis.slug, metropolis]));
    const missing = METROPOLISES.filter((metropolis) => !bySlug.has(slugify(metropolis.name)));
    if (missing.length > 0) {
      const created = await manager.save(
        Metropolis,
        missing.map((metropolis) => manager.create(Metropolis, { ...metropolis, slug: slugify(metropolis.name) })),
      );
      for (const metropolis of created) bySlug.set(metropolis.slug, metropolis);
    }
    return new Map([...bySlug.values()].map((metropolis) => [metropolis.name, metropolis]));
  }

  private async ensurePractice(manager: EntityManager, system: User, metropolises: Map<string, Metropolis>, themes: Map<string, Topic>) {
    const metropolis = metropolises.get(SEED_PRACTICE.metropolis)!;
    if (await manager.existsBy(Practice, { title: SEED_PRACTICE.title, metropolisId: metropolis.id })) return;
    const thread = await this.threads.createThread(manager, { title: SEED_PRACTICE.title, author: system, context: 'practice', topicId: null });
    const practice = await manager.save(
      Practice,
      manager.create(Practice, {
        title: SEED_PRACTICE.title,
        summary: SEED_PRACTICE.summary,
        description: SEED_PRACTICE.description,
        descriptionHtml: renderMarkdown(SEED_PRACTICE.description),
        metropolisId: metropolis.id,
        topics: SEED_PRACTICE.themes.map((title) => themes.get(title)!),
        partners: SEED_PRACTICE.partners,
        stage: SEED_PRACTICE.stage,
        links: [],
        contact: null,
        threadId: thread.id,
        authorId: null,
      }),
    );
    await indexDocuments(manager, [practiceDocument(practice)]);
    await manager.insert(
      PracticeLever,
      SEED_PRACTICE.levers.map((lever) => ({ practiceId: practice.id, lever })),
    );
  }

  private async ensureSessions(manager: EntityManager, system: User, themes: Map<string, Topic>) {
    for (const seed of SEED_SESSIONS) {
      const startsAt = new Date(seed.startsAt);
      const sameTitle = await manager.findBy(WorkSession, { title: seed.title });
      if (sameTitle.some((session) => session.startsAt.getTime() === startsAt.getTime())) continue;
      const session = await manager.save(
        WorkSession,
        manager.create(WorkSession, {
          title: seed.title,
          description: seed.description,
          descriptionHtml: renderMarkdown(seed.description),
          startsAt,
          endsAt: null,
          location: null,
          videoUrl: null,
          status: 'closed',
          currentItemId: null,
          createdById: null,
          startedAt: null,
          closedAt: startsAt,
        }),
      );
      for (const [position, item] of seed.agenda.entries()) {
        const topicId = item.theme ? themes.get(item.theme)!.id : null;
        const thread = await this.threads.createThread(manager, { title: item.title, author: system, context: 'session', topicId });
        await manager.insert(AgendaItem, { sessionId: session.id, position, title: item.title, topicId, threadId: thread.id, durationMinutes: null });
      }
    }
  }
}
