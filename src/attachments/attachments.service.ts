import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { EntityManager, In, LessThan, IsNull, Repository } from 'typeorm';
import { hasRole } from '../common/roles';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { Revisions } from '../database/revisions';
import { findLocked } from '../database/row-lock';
import { DomainEventBus } from '../events/domain-events';
import { Post } from '../posts/post.entity';
import { toPostView } from '../posts/post.view';
import { User } from '../users/user.entity';
import { Attachment, AttachmentOwnerKind, OWNER_COLUMNS } from './attachment.entity';
import { AttachmentStorage, ByteRange, ContentVariant } from './attachment-storage';
import { AttachmentView, toAttachmentView } from './attachment.view';
import { ACCEPTED_TYPES, ContentTypeDetector, extensionOf, isImageType } from './content-type';

/** Previews fit in this square: enough for a post's column on a large screen, a fraction of a photo's weight. */
const PREVIEW_EDGE = 1024;
const MEGABYTE = 1024 * 1024;

/** An upload as multer left it in the temporary folder. */
export interface UploadedFile {
  path: string;
  originalname: string;
  size: number;
}

/** What a download needs: the facts of the file and a way to read any range of its bytes. */
export interface AttachmentContent {
  attachment: Attachment;
  variant: ContentVariant;
  type: string;
  size: number;
  etag: string;
  read(range: ByteRange): Readable;
}

/** The outcome of setting an item's attachments: the list now, and the ids whose bytes to purge once committed. */
export interface LinkedAttachments {
  attachments: Attachment[];
  removed: string[];
}

/**
 * Uploads (type read from the content, size and quota, image previews), who may read a file (who may read what it
 * is attached to), attaching uploads to posts, practices and sessions in their own transactions, and removal.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly database: Database,
    private readonly storage: AttachmentStorage,
    private readonly detector: ContentTypeDetector,
    private readonly config: AppConfig,
    private readonly events: DomainEventBus,
  ) {}

  /** Checks and stores an upload from the temporary folder (which the caller empties); it belongs to nothing yet. */
  async upload(uploader: User, file: UploadedFile, alt: string | undefined): Promise<AttachmentView> {
    const type = await this.detector.detect(file.path, file.originalname);
    const image = isImageType(type) ? await makePreview(file.path) : null;
    try {
      const sha256 = await hashOf(file.path);
      const id = randomUUID();
      const saved = await this.database
        .write(async (manager) => {
          await this.checkQuota(manager, uploader, file.size);
          const attachment = manager.create(Attachment, {
            id,
            uploaderId: uploader.id,
            name: cleanName(file.originalname, type),
            type,
            size: file.size,
            sha256,
            alt: alt?.trim() ? alt.trim().normalize('NFC') : null,
            width: image?.width ?? null,
            height: image?.height ?? null,
            previewSize: image?.size ?? null,
            postId: null,
            practiceId: null,
            sessionId: null,
          });
          await manager.insert(Attachment, attachment);
          await this.storage.save(manager, id, 'original', file.path);
          if (image) await this.storage.save(manager, id, 'preview', image.path);
          return manager.findOneOrFail(Attachment, { where: { id }, relations: { uploader: true } });
        })
        .catch(async (error: unknown) => {
          await this.storage.purge([id]);
          throw error;
        });
      return toAttachmentView(saved);
    } finally {
      if (image) await unlink(image.path).catch(() => undefined);
    }
  }

  /** Counted inside the write, the uploader's row locked on PostgreSQL, so two uploads at once cannot both slip under it. */
  private async checkQuota(manager: EntityManager, uploader: User, size: number): Promise<void> {
    await findLocked(this.database, manager, User, { id: uploader.id });
    const [{ used }] = await manager
      .createQueryBuilder(Attachment, 'attachment')
      .select('COALESCE(SUM(attachment.size), 0)', 'used')
      .where('attachment.uploaderId = :id', { id: uploader.id })
      .getRawMany<{ used: number | string }>();
    const quota = this.config.attachments.quotaBytes;
    if (Number(used) + size > quota) {
      throw new PayloadTooLargeException(
        `Quota de documents dépassé : vous gardez déjà ${megabytes(Number(used))} Mo de fichiers et celui-ci en fait ${megabytes(size)} ; ` +
          `la limite est de ${quota / MEGABYTE} Mo par personne (ATTACHMENT_QUOTA_MB). Supprimez des documents dont vous n’avez plus besoin.`,
      );
    }
  }

  /** The bytes of an attachment (or its preview) for `reader`, once allowed: who may read what the file is attached to. */
  async content(reader: User, id: string, variant: ContentVariant): Promise<AttachmentContent> {
    const attachment = await this.readable(reader, id);
    if (variant === 'preview' && attachment.previewSize === null) throw new NotFoundException('Ce fichier n’a pas d’aperçu.');
    const preview = variant === 'preview';
    return {
      attachment,
      variant,
      type: preview ? 'image/webp' : attachment.type,
      size: preview ? attachment.previewSize! : attachment.size,
      etag: `"${attachment.sha256}${preview ? '-preview' : ''}"`,
      read: (range) => this.storage.read(id, variant, range),
    };
  }

  /**
   * A post's files follow the post (a hidden post's: its author and moderators; a deleted post's are gone); a
   * practice's and a session's: everyone signed in; an upload attached to nothing yet: its uploader and moderators.
   */
  private async readable(reader: User, id: string): Promise<Attachment> {
    const attachment = await this.attachments.findOneBy({ id });
    if (!attachment) throw new NotFoundException('Fichier introuvable.');
    const moderator = hasRole(reader.role, 'moderator');
    if (attachment.postId) {
      const post = await this.attachments.manager.findOne(Post, {
        where: { id: attachment.postId },
        select: { id: true, authorId: true, hiddenAt: true, deletedAt: true },
      });
      if (!post || post.deletedAt) throw new NotFoundException('Fichier introuvable.');
      if (post.hiddenAt && !moderator && post.authorId !== reader.id) {
        throw new ForbiddenException('Ce fichier est joint à un message masqué par la modération.');
      }
      return attachment;
    }
    if (attachment.practiceId || attachment.sessionId) return attachment;
    if (attachment.uploaderId !== reader.id && !moderator) throw new NotFoundException('Fichier introuvable.');
    return attachment;
  }

  /**
   * Its uploader or a moderator removes a file, detaching it from what held it. A post that held it changes: its
   * thread's cached pages are invalidated in the same transaction and the post is announced again; a session is
   * announced again by the sessions' service.
   */
  async remove(actor: User, id: string): Promise<void> {
    const { postId, sessionId } = await this.database.write(async (manager) => {
      const attachment = await manager.findOneBy(Attachment, { id });
      if (!attachment) throw new NotFoundException('Fichier introuvable.');
      if (attachment.uploaderId !== actor.id && !hasRole(actor.role, 'moderator')) {
        throw new ForbiddenException('Seuls la personne qui a envoyé ce fichier et les modérateurs peuvent le supprimer.');
      }
      await manager.delete(Attachment, { id });
      if (attachment.postId) {
        const post = await manager.findOneOrFail(Post, { where: { id: attachment.postId }, select: { id: true, threadId: true } });
        await Revisions.bumpThreads(manager, [post.threadId]);
      }
      return attachment;
    });
    await this.storage.purge([id]);
    if (sessionId) this.events.emit('session.attachment-removed', { sessionId });
    if (postId) {
      const post = await this.attachments.manager.findOneOrFail(Post, { where: { id: postId }, relations: { author: { metropolis: true } } });
      post.attachments = await this.ofOwner(this.attachments.manager, 'post', postId);
      this.events.emit('post.updated', toPostView(post));
    }
  }

  /**
   * Inside the owner's write: its attachments become exactly `ids` (in a post, practice or session the actor may
   * change). A new id must be an upload of the actor attached to nothing; files left out are deleted.
   */
  async link(manager: EntityManager, actor: User, kind: AttachmentOwnerKind, ownerId: string, ids: string[]): Promise<LinkedAttachments> {
    const column = OWNER_COLUMNS[kind];
    const current = new Set((await manager.find(Attachment, { where: { [column]: ownerId }, select: { id: true } })).map((row) => row.id));
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    const fresh = wanted.filter((id) => !current.has(id));
    if (fresh.length > 0) {
      const result = await manager
        .createQueryBuilder()
        .update(Attachment)
        .set({ [column]: ownerId })
        .where('id IN (:...fresh)', { fresh })
        .andWhere('"uploaderId" = :uploader', { uploader: actor.id })
        .andWhere('"postId" IS NULL AND "practiceId" IS NULL AND "sessionId" IS NULL')
        .execute();
      if (result.affected !== fresh.length) {
        const usable = await manager.find(Attachment, { where: { id: In(fresh), [column]: ownerId }, select: { id: true } });
        const refused = fresh.filter((id) => !usable.some((row) => row.id === id));
        throw new BadRequestException([
          `attachmentIds : ${refused.join(', ')} — chaque identifiant doit désigner un fichier que vous avez envoyé et qui n’est joint à rien d’autre.`,
        ]);
      }
    }
    const removed = [...current].filter((id) => !wanted.includes(id));
    if (removed.length > 0) await manager.delete(Attachment, { id: In(removed) });
    return { attachments: await this.ofOwner(manager, kind, ownerId), removed };
  }

  /** Deletes every file of an item (a post being deleted); the ids to purge once committed. */
  async unlinkAll(manager: EntityManager, kind: AttachmentOwnerKind, ownerId: string): Promise<string[]> {
    const rows = await manager.find(Attachment, { where: { [OWNER_COLUMNS[kind]]: ownerId }, select: { id: true } });
    if (rows.length > 0) await manager.delete(Attachment, { id: In(rows.map((row) => row.id)) });
    return rows.map((row) => row.id);
  }

  /** Frees the bytes of attachments whose rows are gone (directory storage; the database's went with their rows). */
  purge(ids: string[]): Promise<void> {
    return ids.length > 0 ? this.storage.purge(ids) : Promise.resolve();
  }

  ofOwner(manager: EntityManager, kind: AttachmentOwnerKind, ownerId: string): Promise<Attachment[]> {
    return manager.find(Attachment, {
      where: { [OWNER_COLUMNS[kind]]: ownerId },
      relations: { uploader: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The attachments of many items of one kind in one query, by item id (an item without any is absent). */
  async ofOwners(kind: AttachmentOwnerKind, ownerIds: string[], manager = this.attachments.manager): Promise<Map<string, Attachment[]>> {
    const byOwner = new Map<string, Attachment[]>();
    if (ownerIds.length === 0) return byOwner;
    const column = OWNER_COLUMNS[kind];
    const rows = await manager.find(Attachment, {
      where: { [column]: In(ownerIds) },
      relations: { uploader: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const row of rows) {
      const owner = row[column]!;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), row]);
    }
    return byOwner;
  }

  /** Removes uploads attached to nothing that were made before `cutoff`; returns how many went. */
  async removeUnreferencedBefore(cutoff: Date): Promise<number> {
    const ids = await this.database.write(async (manager) => {
      const rows = await manager.find(Attachment, {
        where: { postId: IsNull(), practiceId: IsNull(), sessionId: IsNull(), createdAt: LessThan(cutoff) },
        select: { id: true },
      });
      if (rows.length > 0) await manager.delete(Attachment, { id: In(rows.map((row) => row.id)) });
      return rows.map((row) => row.id);
    });
    await this.purge(ids);
    return ids.length;
  }
}

/** A scaled-down WebP beside the upload, and the image's size; an image sharp cannot read is refused. */
async function makePreview(path: string): Promise<{ path: string; size: number; width: number; height: number }> {
  const previewPath = `${path}.preview.webp`;
  try {
    const { width, height } = await sharp(path).metadata();
    const { size } = await sharp(path)
      .rotate()
      .resize({ width: PREVIEW_EDGE, height: PREVIEW_EDGE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toFile(previewPath);
    return { path: previewPath, size, width: width ?? 0, height: height ?? 0 };
  } catch {
    await unlink(previewPath).catch(() => undefined);
    throw new UnsupportedMediaTypeException('Image illisible : le fichier est abîmé ou incomplet.');
  }
}

async function hashOf(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * The name as given, without folders or control characters, at most 255 characters; when its extension is not one
 * of its real type's, that extension is added, so the file opens with the right application.
 */
export function cleanName(original: string, type: string): string {
  const extensions = ACCEPTED_TYPES[type]?.extensions ?? [];
  let name = basename(original.replace(/\\/g, '/')).replace(CONTROL_CHARACTERS, '').normalize('NFC').trim() || 'document';
  if (!extensions.includes(extensionOf(name)) && extensions.length > 0) name = `${name}.${extensions[0]}`;
  return name.length <= 255 ? name : `${name.slice(0, 240)}….${extensionOf(name)}`.slice(0, 255);
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what it removes
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

function megabytes(bytes: number): string {
  return (bytes / MEGABYTE).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
}
