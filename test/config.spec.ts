import { AppConfig } from '../src/config/app-config';
import { ConfigurationError, parseEnvironment } from '../src/config/environment';

/** Given, so that building the configuration writes no secret file. */
const SECRET = 'x'.repeat(32);

describe('configuration', () => {
  it('applies the contract defaults', () => {
    const env = parseEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: 'sqlite:data/essor.sqlite',
      REGISTRATION_MODE: 'invitation',
      SEED: true,
      RATE_LIMIT_REQUESTS_PER_MINUTE: 600,
      RATE_LIMIT_POSTS_PER_10S: 20,
      MAIL_FROM: 'Essor <essor@localhost>',
      MENTION_EMAIL_DELAY_S: 120,
      DIGEST_HOUR: 7,
    });
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
    expect(new AppConfig(env, SECRET).mail.publicUrl).toBe('http://localhost:3000');
    expect(new AppConfig(parseEnvironment({ PORT: '3300' }), SECRET).mail.publicUrl).toBe('http://localhost:3300');
    expect(new AppConfig(parseEnvironment({ PORT: '3300', PUBLIC_URL: 'https://essor.example.org' }), SECRET).mail.publicUrl).toBe(
      'https://essor.example.org',
    );
    expect(env).toMatchObject({ ATTACHMENT_MAX_MB: 20, ATTACHMENT_QUOTA_MB: 500, ATTACHMENT_STORAGE: 'database' });
    expect(env.ATTACHMENT_DIR).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ REGISTRATION_MODE: 'closed' }, 'REGISTRATION_MODE'],
    [{ SEED: 'peut-etre' }, 'SEED'],
    [{ RATE_LIMIT_REQUESTS_PER_MINUTE: '0' }, 'RATE_LIMIT_REQUESTS_PER_MINUTE'],
    [{ RATE_LIMIT_POSTS_PER_10S: '1.5' }, 'RATE_LIMIT_POSTS_PER_10S'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ ADMIN_EMAIL: 'admin@example.org' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'pas-un-email', ADMIN_PASSWORD: 'motdepasse' }, 'ADMIN_EMAIL'],
    [{ SQLITE_DRIVER: 'mysql2' }, 'SQLITE_DRIVER'],
    [{ SMTP_URL: 'http://mail.example.org' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'pas une adresse' }, 'MAIL_FROM'],
    [{ PUBLIC_URL: 'essor.example.org' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://essor.example.org/' }, 'PUBLIC_URL'],
    [{ MENTION_EMAIL_DELAY_S: '-1' }, 'MENTION_EMAIL_DELAY_S'],
    [{ DIGEST_HOUR: '24' }, 'DIGEST_HOUR'],
    [{ ATTACHMENT_MAX_MB: '0' }, 'ATTACHMENT_MAX_MB'],
    [{ ATTACHMENT_MAX_MB: 'vingt' }, 'ATTACHMENT_MAX_MB'],
    [{ ATTACHMENT_QUOTA_MB: '-5' }, 'ATTACHMENT_QUOTA_MB'],
    [{ ATTACHMENT_STORAGE: 'disk' }, 'ATTACHMENT_STORAGE'],
  ])('refuses %o naming %s', (env, variable) => {
    let caught: unknown;
    try {
      parseEnvironment(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).variable).toBe(variable);
    expect((caught as Error).message).toMatch(new RegExp(`^Invalid configuration: ${variable}: `));
    expect((caught as Error).message).not.toContain('\n');
  });

  it('reads booleans and numbers from text and accepts postgres and redis URLs', () => {
    const env = parseEnvironment({
      SEED: 'false',
      PORT: '8080',
      DATABASE_URL: 'postgres://essor:secret@db:5432/essor',
      REDIS_URL: 'redis://cache:6379',
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
    });
    expect(env).toMatchObject({ SEED: false, PORT: 8080, REDIS_URL: 'redis://cache:6379' });
  });

  it('runs SQLite on better-sqlite3 by default and refuses, in one line, a driver whose package is missing', () => {
    expect(parseEnvironment({}).SQLITE_DRIVER).toBe('better-sqlite3');
    let sqlite3Installed = true;
    try {
      require.resolve('sqlite3');
    } catch {
      sqlite3Installed = false;
    }
    const parse = () => parseEnvironment({ SQLITE_DRIVER: 'sqlite3' });
    if (sqlite3Installed) expect(parse().SQLITE_DRIVER).toBe('sqlite3');
    else expect(parse).toThrow('Invalid configuration: SQLITE_DRIVER: SQLITE_DRIVER=sqlite3 needs its package: npm install sqlite3@5');
    // PostgreSQL needs no SQLite driver at all
    expect(parseEnvironment({ SQLITE_DRIVER: 'sqlite3', DATABASE_URL: 'postgres://essor@db/essor' }).SQLITE_DRIVER).toBe('sqlite3');
  });
});
