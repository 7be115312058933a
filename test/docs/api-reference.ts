/**
 * The route reference of docs/API.md, derived from the OpenAPI document the app serves: a route, its access, its
 * parameters, its body and its successful answers, one line each. The suite in this folder fails when the file and the
 * code disagree, so the written contract cannot drift from what the server does.
 */

interface SchemaObject {
  $ref?: string;
  type?: string;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
}
interface Operation {
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: SchemaObject }> }>;
  'x-essor-access'?: string;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export const ROUTES_START = '<!-- routes:start (generated from the OpenAPI document: UPDATE_API_DOCS=1 npx jest test/docs) -->';
export const ROUTES_END = '<!-- routes:end -->';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function schemaName(schema: SchemaObject | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return schema.$ref.split('/').pop() ?? '';
  if (schema.type === 'array') return `${schemaName(schema.items)}[]`;
  return schema.type ?? 'object';
}

function fieldsOf(document: OpenApiDocument, schema: SchemaObject | undefined): string {
  const resolved = schema?.$ref ? document.components?.schemas?.[schemaName(schema)] : schema;
  const properties = Object.keys(resolved?.properties ?? {});
  if (properties.length === 0) return schemaName(schema);
  const required = new Set(resolved?.required ?? []);
  return `{${properties.map((name) => (required.has(name) ? name : `${name}?`)).join(', ')}}`;
}

function bodyOf(document: OpenApiDocument, operation: Operation): string {
  const content = operation.requestBody?.content ?? {};
  return Object.entries(content)
    .map(([type, { schema }]) => (type === 'application/json' ? fieldsOf(document, schema) : `${type} ${fieldsOf(document, schema)}`))
    .join('; ');
}

function answersOf(operation: Operation): string {
  return Object.entries(operation.responses ?? {})
    .filter(([status]) => status.startsWith('2') || status.startsWith('3'))
    .map(([status, response]) => {
      const types = Object.entries(response.content ?? {}).map(([type, { schema }]) => (type === 'application/json' ? schemaName(schema) : type));
      return [status, ...types, response.description ? `: ${response.description}` : ''].join(' ').replace(' :', ':');
    })
    .join('; ');
}

/** The generated table: one row per route and method, in the order of the document. */
export function renderRouteReference(document: OpenApiDocument): string {
  const rows = ['| route | who | parameters | body | answers |', '|---|---|---|---|---|'];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => (parameter.required ? parameter.name : `${parameter.name}?`))
        .join(', ');
      const access = operation['x-essor-access'] ?? 'signed in';
      rows.push(
        `| \`${method.toUpperCase()} ${path}\` | ${cell(access)} | ${cell(parameters)} | ${cell(bodyOf(document, operation))} | ${cell(answersOf(operation))} |`,
      );
    }
  }
  return rows.join('\n');
}

/** The file with its generated section replaced by the reference of this document. */
export function withRouteReference(markdown: string, document: OpenApiDocument): string {
  const start = markdown.indexOf(ROUTES_START);
  const end = markdown.indexOf(ROUTES_END);
  if (start < 0 || end < start) throw new Error(`docs/API.md must hold the markers ${ROUTES_START} and ${ROUTES_END}`);
  return `${markdown.slice(0, start + ROUTES_START.length)}\n\n${renderRouteReference(document)}\n\n${markdown.slice(end)}`;
}
