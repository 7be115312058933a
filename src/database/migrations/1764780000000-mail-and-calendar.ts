import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnHelpers } from './column-helpers';

/**
 * E-mail and calendars: each person's mail preferences and calendar-feed version, the outbox of messages due or sent
 * (claimed before sending, so none goes twice), what each person was already e-mailed about, the sessions whose
 * reminder went out, and password-reset tokens (hashed).
 */
export class MailAndCalendar1764780000000 implements MigrationInterface {
  name = 'MailAndCalendar1764780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { uuid, timestamp, createdNow, varchar, cascadeFrom: fk } = columnHelpers(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: 'mail_preferences',
        columns: [
          uuid('userId', { isPrimary: true }),
          varchar('emailMentions', 16, { default: "'immediate'" }),
          varchar('digest', 16, { default: "'daily'" }),
          varchar('emailReminders', 16, { default: "'immediate'" }),
          { name: 'calendarVersion', type: 'integer', default: 0 },
          timestamp('lastDigestAt', { isNullable: true }),
          createdNow('updatedAt'),
        ],
        foreignKeys: [fk('userId', 'users')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'outbox_mails',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('userId'),
          varchar('kind', 32),
          varchar('dedupeKey', 200, { isUnique: true }),
          varchar('recipient', 320),
          varchar('subject', 300),
          { name: 'html', type: 'text' },
          { name: 'text', type: 'text' },
          { name: 'headers', type: 'text' },
          { name: 'attachments', type: 'text' },
          varchar('status', 16, { default: "'pending'" }),
          { name: 'attempts', type: 'integer', default: 0 },
          timestamp('nextAttemptAt'),
          timestamp('claimedUntil', { isNullable: true }),
          varchar('claimToken', 36, { isNullable: true }),
          timestamp('sentAt', { isNullable: true }),
          varchar('lastError', 1000, { isNullable: true }),
          createdNow('createdAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_outbox_mails_due', columnNames: ['status', 'nextAttemptAt'] })],
        foreignKeys: [fk('userId', 'users')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'mailed_items',
        columns: [
          uuid('userId', { isPrimary: true }),
          varchar('itemType', 16, { isPrimary: true }),
          uuid('itemId', { isPrimary: true }),
          uuid('outboxId'),
          createdNow('createdAt'),
        ],
        foreignKeys: [fk('userId', 'users'), fk('outboxId', 'outbox_mails')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'session_reminders',
        columns: [uuid('sessionId', { isPrimary: true }), createdNow('remindedAt')],
        foreignKeys: [fk('sessionId', 'work_sessions')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'password_resets',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('userId'),
          varchar('tokenHash', 64, { isUnique: true }),
          timestamp('expiresAt'),
          timestamp('usedAt', { isNullable: true }),
          createdNow('createdAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_password_resets_user', columnNames: ['userId'] })],
        foreignKeys: [fk('userId', 'users')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['password_resets', 'session_reminders', 'mailed_items', 'outbox_mails', 'mail_preferences']) {
      await queryRunner.dropTable(table);
    }
  }
}
