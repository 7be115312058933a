import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import type { RequestHandler } from 'express';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp } from '../../src/app.setup';
import { AuthService } from '../../src/auth/auth.service';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { AppConfig } from '../../src/config/app-config';
import { parseEnvironment } from '../../src/config/environment';
import { Database } from '../../src/database/database.service';
import { Metropolis } from '../../src/metropolises/metropolis.entity';
import { SeedService } from '../../src/seed/seed.service';
import type { Role } from '../../src/common/roles';
import { User } from '../../src/users/user.entity';

/** One argon2id hash of TEST_PASSWORD, made once per test file: hashing is slow by design. */
export const TEST_PASSWORD = 'motdepasse-de-test';
let passwordHash: Promise<string> | undefined;

export interface TestUser {
  user: User;
  token: string;
  /** Authorization header value. */
  auth: string;
}

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening server (for socket.io clients and child processes). */
  url: string;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  /** Creates an enabled account directly and returns it with a token. */
  createUser(options?: { role?: Role; metropolis?: string | null; displayName?: string; email?: string }): Promise<TestUser>;
  metropolis(slug: string): Promise<Metropolis>;
  close(): Promise<void>;
}

/**
 * Builds the real application (same module, same configureApp) on a fresh database: SQLite in memory by default,
 * a SQLite file when asked, or a database of its own on the PostgreSQL server of TEST_DATABASE_URL.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    seed?: boolean;
    sqliteFile?: string;
    databaseUrl?: string;
    /** Runs before everything else on each request: lets a test hold a response back, e.g. to make a load slow. */
    requestHook?: RequestHandler;
  } = {},
): Promise<TestApp> {
  // a given databaseUrl is shared with other apps of the same test, which owns it (and drops it)
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: () => Promise.resolve() } : await testDatabaseUrl(options.sqliteFile);
  const config = new AppConfig(
    parseEnvironment({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      SEED: 'false',
      RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
      RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000',
      RATE_LIMIT_POSTS_PER_10S: '100000',
      ...options.env,
    }),
    randomBytes(32).toString('hex'),
  );
  // NestFactory, as main.ts does: under Test.createTestingModule the providers are built before the HTTP adapter
  // exists, and ServeStaticModule then quietly serves nothing at /
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { ...APP_OPTIONS, logger: false });
  if (options.requestHook) app.use(options.requestHook);
  configureApp(app);
  await app.init();
  if (options.seed ?? true) await app.get(SeedService).run();
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const dataSource = app.get(DataSource);
  const auth = app.get(AuthService);

  let counter = 0;
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    config,
    dataSource,
    http: () => request(app.getHttpServer()),
    async createUser({ role = 'participant', metropolis = null, displayName, email } = {}) {
      counter += 1;
      passwordHash ??= app.get(PasswordHasher).hash(TEST_PASSWORD);
      const metropolisId = metropolis ? (await dataSource.getRepository(Metropolis).findOneByOrFail({ slug: metropolis })).id : null;
      const saved = await app.get(Database).write((manager) =>
        manager.save(
          User,
          manager.create(User, {
            email: email ?? `${role}-${counter}-${randomBytes(3).toString('hex')}@example.org`,
            passwordHash: '',
            displayName: displayName ?? `${role} ${counter}`,
            role,
            metropolisId,
            disabled: false,
          }),
        ),
      );
      await dataSource.getRepository(User).update({ id: saved.id }, { passwordHash: await passwordHash });
      const user = await dataSource.getRepository(User).findOneOrFail({ where: { id: saved.id }, relations: { metropolis: true } });
      const { accessToken } = auth.issue(user);
      return { user, token: accessToken, auth: `Bearer ${accessToken}` };
    },
    metropolis: (slug) => dataSource.getRepository(Metropolis).findOneByOrFail({ slug }),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** A fresh database for one test app; PostgreSQL when TEST_DATABASE_URL is set. */
export async function testDatabaseUrl(sqliteFile?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server || sqliteFile) return { url: `sqlite:${sqliteFile ?? ':memory:'}`, drop: () => Promise.resolve() };
  const name = `essor_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface DiscussionCast {
  alice: TestUser;
  bruno: TestUser;
  moderator: TestUser;
  /** The id of one of the seeded themes. */
  topicId: string;
}

/** The people most discussion tests need: Alice of Nantes, Bruno of Lyon, a moderator, and a seeded theme. */
export async function discussionCast(t: TestApp, themeIndex = 0): Promise<DiscussionCast> {
  const alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' });
  const bruno = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Bruno' });
  const moderator = await t.createUser({ role: 'moderator', displayName: 'Modé' });
  const topics = await t.http().get('/api/topics').set('Authorization', alice.auth).expect(200);
  return { alice, bruno, moderator, topicId: topics.body[themeIndex].id };
}
