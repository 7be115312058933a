import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../app.module';
import { PasswordHasher } from '../auth/password-hasher';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { RAISED_TOKEN_VERSION, User } from '../users/user.entity';

/**
 * npm run admin:create -- <email> [display name]
 * Creates an admin (or promotes and re-enables an existing account). The password is ADMIN_PASSWORD when set,
 * otherwise generated and printed once.
 */
async function main(): Promise<void> {
  const [email, ...nameParts] = process.argv.slice(2);
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    process.stderr.write('Usage: npm run admin:create -- <email> [display name]\n');
    process.exit(2);
  }
  const config = AppConfig.fromEnvironment({ ...process.env, LOG_LEVEL: 'warn', SEED: 'false' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  const chosen = process.env.ADMIN_PASSWORD;
  const password = chosen ?? randomBytes(12).toString('base64url');
  const passwordHash = await app.get(PasswordHasher).hash(password);
  const normalised = email.toLowerCase();
  const displayName = nameParts.join(' ').trim() || 'Administrateur';
  await app.get(Database).write(async (manager) => {
    const existing = await manager.findOneBy(User, { email: normalised });
    if (existing)
      await manager.update(User, { id: existing.id }, { role: 'admin', disabled: false, passwordHash, tokenVersion: RAISED_TOKEN_VERSION });
    else await manager.insert(User, { email: normalised, passwordHash, displayName, role: 'admin', metropolisId: null, disabled: false });
  });
  await app.close();
  process.stdout.write(
    chosen ? `Admin ${normalised} ready (password from ADMIN_PASSWORD).\n` : `Admin ${normalised} ready. Password (shown once): ${password}\n`,
  );
}

void main();
