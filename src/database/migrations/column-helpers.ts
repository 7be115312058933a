import { QueryRunner, TableColumnOptions, TableForeignKey } from 'typeorm';

/**
 * The column shapes that differ between SQLite and PostgreSQL (uuid, timestamps with milliseconds, "now"), for
 * migrations written with TypeORM's driver-neutral Table API. Only types are decided here, never a table's content,
 * so a migration that uses them keeps the schema it was written for.
 */
export function columnHelpers(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const uuid = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: postgres ? 'uuid' : 'varchar',
    length: postgres ? undefined : '36',
    ...options,
  });
  const timestamp = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: postgres ? 'timestamptz' : 'datetime',
    ...options,
  });
  return {
    uuid,
    timestamp,
    createdNow: (name: string): TableColumnOptions => timestamp(name, { default: postgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))" }),
    varchar: (name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...options,
    }),
    cascadeFrom: (column: string, table: string) =>
      new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
  };
}
