import type { Driver, EntityManager } from 'typeorm';

interface CompiledSql {
  text: string;
  names: string[];
}

const compiled = new WeakMap<object, Map<string, CompiledSql>>();

/**
 * Runs a statement written with `:named` parameters on either database, every value bound as a parameter: the text
 * is turned into the driver's placeholders (`?` or `$1`) once, so it stays the same from call to call and the
 * driver's prepared statement is reused (TypeORM's own expansion writes numbers into the text, a new statement for
 * each value). Values must already be in the driver's form (see Database.timestampParameter for times).
 */
export function runSql<T = unknown>(manager: EntityManager, sql: string, parameters: Record<string, unknown>): Promise<T> {
  const [text, values] = bindSql(manager.connection.driver, sql, parameters);
  return manager.query<T>(text, values);
}

/** A statement with `:named` parameters as the driver's text and its values in order (for a connection of one's own). */
export function bindSql(driver: Driver, sql: string, parameters: Record<string, unknown>): [string, unknown[]] {
  let forDriver = compiled.get(driver);
  if (!forDriver) compiled.set(driver, (forDriver = new Map<string, CompiledSql>()));
  let statement = forDriver.get(sql);
  if (!statement) {
    const names: string[] = [];
    const text = sql.replace(/:([A-Za-z][A-Za-z0-9_]*)/g, (_match, name: string) => {
      names.push(name);
      return driver.createParameter(name, names.length - 1);
    });
    forDriver.set(sql, (statement = { text, names }));
  }
  return [statement.text, statement.names.map((name) => parameters[name])];
}

/**
 * Runs a statement with `:named` and `:...list` parameters, expanded by TypeORM for the driver at hand: for the
 * statements whose lists vary in length (an IN list), which a prepared statement could not be reused for anyway.
 */
export function runExpandedSql<T = unknown>(manager: EntityManager, sql: string, parameters: Record<string, unknown>): Promise<T> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters, {});
  return manager.query<T>(text, values);
}

/** A time read by a raw query: PostgreSQL gives a Date, SQLite the UTC text it stores, without a zone. */
export function sqlTime(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
