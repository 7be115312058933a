import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ExpiringCache } from '../common/expiring-cache';
import { decodeCursor, Page, PageQueryDto, pageSize } from '../common/http/pagination';
import { Database } from '../database/database.service';
import { runSql } from '../database/sql';
import { DomainEventBus } from '../events/domain-events';
import { toMetropolisSummary } from '../metropolises/metropolis.view';
import { DirectoryEntryView, DirectoryQuery, UpdateProfileDto } from './dto/profile.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { HandleAlias } from './handle-alias.entity';
import { User } from './user.entity';
import { toUserView, UserView } from './user.view';

export interface NewUser {
  email: string;
  passwordHash: string;
  displayName: string;
  role: User['role'];
  metropolisId: string | null;
}

/**
 * How long the user behind a token is reused without reading it again. A change made on this instance applies at
 * once; one made on another instance of a scaled-out deployment, after at most this long.
 */
const AUTHENTICATED_USER_TTL_MS = 5_000;
const AUTHENTICATED_USERS_KEPT = 10_000;
/** The threads a person wrote or posted in, whose cached pages carry their name (posts are found by their author index). */
const RENAMED_AUTHOR_THREADS =
  'UPDATE "threads" SET "postsRevision" = "postsRevision" + 1, "updatedAt" = :now ' +
  'WHERE "authorId" = :userId OR "id" IN (SELECT "threadId" FROM "posts" WHERE "authorId" = :userId)';

/** What @completion offers at most. */
const DIRECTORY_SIZE = 20;

/**
 * PostgreSQL advisory lock taken by each account creation for its transaction (the seed's is 4_281_990, the
 * migrations' 4_281_989): two registrations at once then see each other's e-mail and handle, so the second gets its
 * 409 or the next free handle instead of a unique-index error. SQLite writes one transaction at a time already.
 */
const ACCOUNT_CREATION_LOCK_KEY = 4_281_991;

/** A unique index refusing a row, in PostgreSQL's words or SQLite's. */
function isUniqueViolation(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

@Injectable()
export class UsersService {
  /** Every request and live connection authenticates, so the user is read once per few seconds, not each time. */
  private readonly authenticated = new ExpiringCache<string, Promise<User | null>>(AUTHENTICATED_USER_TTL_MS, AUTHENTICATED_USERS_KEPT);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  findById(id: string): Promise<User | null> {
    // a query builder without take: findOne() with a relation costs a second, DISTINCT query
    return this.users.createQueryBuilder('user').leftJoinAndSelect('user.metropolis', 'metropolis').where('user.id = :id', { id }).getOne();
  }

  /**
   * The user a valid token names, possibly read a few seconds ago; callers must not change it. A token newer than
   * the kept copy (issued after a change made on another instance) makes it read again, so a fresh token always works.
   */
  async findForAuthentication(id: string, tokenVersion = 0): Promise<User | null> {
    const kept = await this.keptUser(id);
    if (!kept || kept.tokenVersion >= tokenVersion) return kept;
    this.authenticated.delete(id);
    return this.keptUser(id);
  }

  private keptUser(id: string): Promise<User | null> {
    return this.authenticated.getOrLoad(id, () => {
      const loading = this.findById(id);
      loading.catch(() => this.authenticated.delete(id));
      return loading;
    });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email: email.toLowerCase() }, relations: { metropolis: true } });
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('Compte introuvable.');
    return user;
  }

  /** Creates the account inside the caller's write transaction; a taken email is a 409. */
  async create(manager: EntityManager, data: NewUser): Promise<User> {
    if (!this.database.isSqlite) await manager.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNT_CREATION_LOCK_KEY]);
    const email = data.email.toLowerCase();
    if (await manager.existsBy(User, { email })) throw new ConflictException('Un compte existe déjà pour cette adresse e-mail.');
    const user = await manager.save(User, manager.create(User, { ...data, email, disabled: false }));
    return (await manager.findOne(User, { where: { id: user.id }, relations: { metropolis: true } }))!;
  }

  async list(query: PageQueryDto): Promise<Page<UserView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, ['text', 'uuid']);
    const builder = this.users
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.metropolis', 'metropolis')
      .orderBy('user.displayName', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .take(limit + 1);
    if (after) {
      builder.where('(user.displayName > :name OR (user.displayName = :name AND user.id > :id))', { name: after[0], id: after[1] });
    }
    const rows = await builder.getMany();
    return Page.fromRows(rows, limit, toUserView, (user) => [user.displayName, user.id]);
  }

  /** The person's own display name and handle; a handle somebody else holds is a 409. */
  async updateProfile(user: User, changes: UpdateProfileDto): Promise<UserView> {
    try {
      await this.database.write(async (manager) => {
        const update: Partial<User> = { updatedAt: new Date() };
        if (changes.displayName !== undefined) update.displayName = changes.displayName.trim().normalize('NFC');
        if (changes.handle !== undefined) {
          const { handle: current } = await manager.findOneOrFail(User, { where: { id: user.id }, select: { id: true, handle: true } });
          if (changes.handle !== current) {
            await this.moveHandle(manager, user.id, current, changes.handle);
            update.handle = changes.handle;
          }
        }
        await manager.update(User, { id: user.id }, update);
        if (update.displayName !== undefined && update.displayName !== user.displayName) {
          // the cached thread pages show the author's name: those of the person's threads and posts move on
          await runSql(manager, RENAMED_AUTHOR_THREADS, { userId: user.id, now: this.database.timestampParameter(update.updatedAt!) });
        }
      });
    } catch (error) {
      // two people taking the same handle at once: the unique index decides
      if (isUniqueViolation(error)) throw new ConflictException('Cet identifiant est déjà pris.');
      throw error;
    }
    this.authenticated.delete(user.id);
    return toUserView(await this.getById(user.id));
  }

  /**
   * A change of handle, in its write: a handle somebody holds is a 409; one somebody held before is theirs to take
   * (its alias goes), and the person's old handle becomes their alias, so the links of earlier mentions still lead
   * to them.
   */
  private async moveHandle(manager: EntityManager, userId: string, from: string, to: string): Promise<void> {
    if (await manager.existsBy(User, { handle: to })) throw new ConflictException('Cet identifiant est déjà pris.');
    await manager.delete(HandleAlias, { handle: In([from, to]) });
    await manager.insert(HandleAlias, { handle: from, userId });
  }

  /** Whoever holds the handle, else whoever held it before changing theirs; enabled accounts only. */
  async byHandle(handle: string): Promise<DirectoryEntryView> {
    const holder = await this.users.findOne({ where: { handle, disabled: false }, relations: { metropolis: true } });
    const alias = holder ? null : await this.users.manager.findOneBy(HandleAlias, { handle });
    const person = holder ?? (alias && (await this.users.findOne({ where: { id: alias.userId, disabled: false }, relations: { metropolis: true } })));
    if (!person) throw new NotFoundException(`Personne n’a l’identifiant @${handle}.`);
    return toDirectoryEntry(person);
  }

  /** People for @completion: handles beginning with `q` first, then display names holding it; 20 at most, enabled accounts only. */
  async directory(query: DirectoryQuery): Promise<DirectoryEntryView[]> {
    const term = (query.q ?? '').trim().replace(/^@/, '').toLowerCase();
    const pattern = term.replace(/[\\%_]/g, (character) => `\\${character}`);
    const builder = this.users
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.metropolis', 'metropolis')
      .where('user.disabled = :disabled', { disabled: false })
      .orderBy('user.handle', 'ASC')
      .limit(DIRECTORY_SIZE);
    if (term) {
      builder
        .andWhere("(user.handle LIKE :prefix ESCAPE '\\' OR LOWER(user.displayName) LIKE :inside ESCAPE '\\')", {
          prefix: `${pattern}%`,
          inside: `%${pattern}%`,
        })
        .orderBy("CASE WHEN user.handle LIKE :prefix ESCAPE '\\' THEN 0 ELSE 1 END", 'ASC')
        .addOrderBy('user.handle', 'ASC');
    }
    const people = await builder.getMany();
    return people.map(toDirectoryEntry);
  }

  /**
   * Sets the password (already hashed) and raises the token version in the same write, so that every token issued
   * before stops working at once: the one path for a change of password and a reset alike. Returns the account, with
   * its new version, to issue a fresh token from.
   */
  async setPasswordHash(id: string, passwordHash: string): Promise<User> {
    const user = await this.database.write(async (manager) => {
      const target = await manager.findOne(User, { where: { id }, relations: { metropolis: true } });
      if (!target) throw new NotFoundException('Compte introuvable.');
      target.passwordHash = passwordHash;
      target.tokenVersion += 1;
      return manager.save(User, target);
    });
    this.forget(id);
    this.events.emit('user.tokens-revoked', { userId: id });
    return user;
  }

  /** Drops this instance's copy of the account, so the next authentication reads it again. */
  forget(id: string): void {
    this.authenticated.delete(id);
  }

  async update(actor: User, id: string, changes: UpdateUserDto): Promise<UserView> {
    if (actor.id === id && (changes.disabled === true || (changes.role && changes.role !== 'admin'))) {
      throw new ForbiddenException('Un administrateur ne peut ni se désactiver ni se rétrograder lui-même.');
    }
    const user = await this.database.write(async (manager) => {
      const target = await manager.findOne(User, { where: { id }, relations: { metropolis: true } });
      if (!target) throw new NotFoundException('Compte introuvable.');
      if (changes.role !== undefined && changes.role !== target.role) {
        await this.audit.record(manager, actor, 'user.role', 'user', id, { from: target.role, to: changes.role });
        target.role = changes.role;
      }
      if (changes.disabled !== undefined && changes.disabled !== target.disabled) {
        await this.audit.record(manager, actor, changes.disabled ? 'user.disable' : 'user.enable', 'user', id);
        target.disabled = changes.disabled;
        // tokens issued before a disable must not work again after the enable
        target.tokenVersion += 1;
      }
      return manager.save(User, target);
    });
    this.forget(id);
    if (changes.disabled !== undefined) this.events.emit('user.tokens-revoked', { userId: user.id });
    if (user.disabled) this.events.emit('user.disabled', { userId: user.id });
    return toUserView(user);
  }
}

function toDirectoryEntry(person: User): DirectoryEntryView {
  return { id: person.id, displayName: person.displayName, handle: person.handle, metropolis: toMetropolisSummary(person.metropolis) };
}
