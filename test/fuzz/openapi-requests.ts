import fc from 'fast-check';
import { anyJson, craftedCursor, deepJsonText, nastyString, strangeHeaders, urlPart, uuid, wellFormed, wideObject } from './arbitraries';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As OpenAPI writes it: `/api/posts/{id}`. */
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One generated request: what the fuzz suite sends. */
export interface FuzzRequest {
  url: string;
  headers: Record<string, string>;
  /** JSON text (or something that is not quite JSON), sent as it is. */
  body?: string;
  actor: 'anonymous' | 'participant' | 'moderator' | 'garbage';
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method as Operation['method'],
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

/**
 * Generates requests for one operation of the OpenAPI document: path parameters (real ids among hostile ones),
 * the documented query parameters plus unknown ones, strange headers, and bodies that follow the schema with hostile
 * values in it, or break it: wrong types, deep and wide JSON, prototype keys, malformed text.
 */
export class RequestGenerator {
  constructor(
    private readonly document: OpenApiDocument,
    /** Ids of real resources, so that some requests get past the 404 and reach the rules. */
    private readonly knownIds: string[],
  ) {}

  requests(operation: Operation): fc.Arbitrary<FuzzRequest> {
    const pathNames = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
    return fc
      .record({
        pathValues: fc.tuple(...pathNames.map(() => urlPart(this.knownIds))),
        query: this.queryString(queryParameters),
        headers: strangeHeaders,
        body: operation.body || operation.method !== 'get' ? fc.option(this.bodyText(operation.body), { freq: 6 }) : fc.constant(null),
        actor: fc.constantFrom<FuzzRequest['actor']>('participant', 'participant', 'moderator', 'moderator', 'anonymous', 'garbage'),
      })
      .map(({ pathValues, query, headers, body, actor }) => {
        let index = 0;
        const path = operation.path.replace(/\{\w+\}/g, () => pathValues[index++]);
        return { url: query ? `${path}?${query}` : path, headers, body: body ?? undefined, actor };
      });
  }

  private queryString(parameters: Parameter[]): fc.Arbitrary<string> {
    const documented = parameters.map((parameter) =>
      fc.option(
        fc.tuple(fc.constant(parameter.name), parameter.name === 'cursor' ? fc.oneof(craftedCursor, urlPart([])) : this.queryValue(parameter.schema)),
        { freq: 2 },
      ),
    );
    const unknown = fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'x', 'limit[]', 'a[b]'), urlPart([])), { maxLength: 2 });
    const repeated = fc.option(fc.constantFrom(...parameters.map((parameter) => parameter.name), 'limit'), { freq: 4 });
    return fc.tuple(fc.tuple(...documented), unknown, repeated).map(([pairs, extra, again]) => {
      const all = [...pairs.filter((pair): pair is [string, string] => pair !== null), ...extra];
      if (again) all.push([again, '1'], [again, '2']);
      return all.map(([name, value]) => `${encodeURIComponent(name)}=${value}`).join('&');
    });
  }

  private queryValue(schema: Schema | undefined): fc.Arbitrary<string> {
    const valid = this.value(schema ?? {}).map((value) =>
      encodeURIComponent(wellFormed(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))),
    );
    return fc.oneof(valid, urlPart(this.knownIds));
  }

  private bodyText(schema: Schema | undefined): fc.Arbitrary<string> {
    const shaped = this.value(schema ?? { type: 'object' });
    return fc.oneof(
      { weight: 8, arbitrary: shaped.map((value) => JSON.stringify(value)) },
      { weight: 2, arbitrary: shaped.map((value) => withPrototypeKeys(JSON.stringify(value))) },
      { weight: 2, arbitrary: anyJson.map((value) => JSON.stringify(value) ?? 'null') },
      { weight: 2, arbitrary: deepJsonText },
      { weight: 1, arbitrary: wideObject.map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.constantFrom('{', '{"a":}', '\u0000', '[1,]', '"\\ud800"', 'null', '{"body":"\\u0000"}') },
    );
  }

  /** A value of the schema's shape, with hostile leaves, and now and then a value of the wrong type altogether. */
  private value(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    const wrong = depth > 3 ? fc.constant(null) : anyJson;
    return fc.oneof({ weight: 6, arbitrary: this.shaped(resolved, depth) }, { weight: 1, arbitrary: wrong });
  }

  private shaped(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    if (schema.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: nastyString });
    if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...this.knownIds), uuid, nastyString);
    if (schema.format === 'date-time')
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        nastyString,
      );
    switch (schema.type) {
      case 'string':
        return fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), nastyString);
      case 'integer':
      case 'number':
        return fc.oneof(fc.integer({ min: -1, max: 5 }), fc.integer(), fc.double(), nastyString);
      case 'boolean':
        return fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1));
      case 'array':
        return fc.array(this.value(schema.items ?? {}, depth + 1), { maxLength: depth > 2 ? 1 : 5 });
      default: {
        const properties = Object.entries(schema.properties ?? {});
        if (properties.length === 0) return anyJson;
        const record = fc.record(Object.fromEntries(properties.map(([name, property]) => [name, this.value(property, depth + 1)])), {
          requiredKeys: [],
        });
        // mostly every required field present, so that requests get past « field is required »
        const complete = fc.record(Object.fromEntries(properties.map(([name, property]) => [name, this.value(property, depth + 1)])));
        return fc.oneof(complete, record);
      }
    }
  }

  private resolve(schema: Schema): Schema {
    if (schema.$ref) return this.resolve(this.document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] ?? {});
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => this.resolve(part))) as Schema;
    return schema;
  }
}

/** The same JSON object with the prototype's names as keys in front, as a hand-written attack would send them. */
function withPrototypeKeys(json: string): string {
  if (!json.startsWith('{')) return json;
  const rest = json.slice(1);
  return `{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"polluted":true}}${rest === '}' ? '' : ','}${rest}`;
}
