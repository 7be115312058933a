import { applyDecorators, ArgumentMetadata, BadRequestException, UnsupportedMediaTypeException, ValidationPipe } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidationError } from 'class-validator';
import { frenchValidationMessages } from './french-messages';
import { trimBlankEnds } from '../text';

/** The one validation setup, shared by the HTTP app, the live gateway and the tests. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  forbidUnknownValues: true,
  stopAtFirstError: false,
  // each error keeps the object it was found in: its class tells the French message the rule's arguments
  validationError: { target: true },
} as const;

/** Deeper input is refused before anything recursive (class-transformer, class-validator) walks it. */
export const MAX_NESTING_DEPTH = 32;

/**
 * The most keys one object of an input may have: some thirty times what the largest form has, and few enough for
 * class-transformer, whose walk of an object's keys is quadratic in their number (120,000 keys, a 1 MB body, held the
 * event loop 18 s).
 */
export const MAX_OBJECT_KEYS = 1_000;
/** The most keys and array items one input may hold in all: forty times the largest list a form takes (500 ids). */
export const MAX_INPUT_VALUES = 20_000;

/** NUL characters and UTF-16 surrogates without their pair: refused in every string of every input. */
const UNSAFE_CHARACTERS = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a person can see: anything but white space, format characters (zero-width…), controls and lone marks. */
const VISIBLE_CHARACTER = /[^\p{White_Space}\p{Cf}\p{Cc}\p{Mn}\p{Me}\u2800\u3164\u115F\u1160\uFFA0]/u;

export const nestingMessage = (label: string) => `${label} est imbriqué sur plus de ${MAX_NESTING_DEPTH} niveaux.`;
const tooManyValuesMessage = (label: string) => `${label} contient plus de ${MAX_INPUT_VALUES.toLocaleString('fr-FR')} valeurs.`;
const tooManyKeysMessage = (field: string) => `${field} a plus de ${MAX_OBJECT_KEYS.toLocaleString('fr-FR')} propriétés.`;
const binaryMessage = (field: string) => `${field} ne peut pas être une donnée binaire.`;
const unsafeMessage = (field: string) => `${field} ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.`;

/**
 * Whether JSON text opens more than MAX_NESTING_DEPTH arrays or objects at once: one pass over the bytes, without
 * parsing, so a body nested 400,000 levels costs what reading it costs.
 */
export function jsonTextTooDeep(text: Buffer): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const byte = text[index];
    if (inString) {
      if (byte === 0x5c)
        index += 1; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > MAX_NESTING_DEPTH) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return false;
}

/**
 * The problems of an input before validation: nesting deeper than MAX_NESTING_DEPTH, an object of more than
 * MAX_OBJECT_KEYS keys or more than MAX_INPUT_VALUES keys and items in all (then nothing else is looked at), binary
 * data (a socket.io payload may carry buffers, which no field takes), and each string holding NUL or an unpaired
 * surrogate, named by its path (`agenda.0.title`). Iterative, so that the check itself cannot overflow the stack.
 */
export function inputProblems(input: unknown, label: string): string[] {
  const problems: string[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  let values = 0;
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (UNSAFE_CHARACTERS.test(value)) problems.push(unsafeMessage(path || label));
    } else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      problems.push(binaryMessage(path || label));
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_NESTING_DEPTH) return [nestingMessage(label)];
      const keys = Object.keys(value);
      if (!Array.isArray(value) && keys.length > MAX_OBJECT_KEYS) return [tooManyKeysMessage(path || label)];
      values += keys.length;
      if (values > MAX_INPUT_VALUES) return [tooManyValuesMessage(label)];
      for (const key of keys) pending.push({ value: (value as Record<string, unknown>)[key], path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return problems.reverse();
}

/** What app.setup puts in place of a body the JSON parser did not read (another Content-Type). */
export const UNREAD_BODY: object = Object.freeze({});

/**
 * Refuses a body that is not JSON (415) and unsafe input (see inputProblems) with a 400 naming it, then validates as
 * Nest's ValidationPipe does.
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // custom parameters (the signed-in user) are the server's own values, not input
    if (metadata.type === 'custom') return super.transform(value, metadata);
    if (value === UNREAD_BODY) throw new UnsupportedMediaTypeException('Le corps de la requête doit être du JSON (Content-Type: application/json).');
    const problems = inputProblems(value, metadata.type === 'body' ? 'body' : (metadata.data ?? metadata.type));
    if (problems.length > 0) throw new BadRequestException(problems);
    return super.transform(value, metadata);
  }

  /** Nest's answer to a refused input (its limit on the messages' length included), in French. */
  protected override flattenValidationErrors(errors: ValidationError[]): string[] {
    return frenchValidationMessages(errors);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe(VALIDATION_OPTIONS);
}

type FieldOptions = { optional?: boolean; description?: string; example?: unknown };
/** `line`: NFC and trimmed. `markdown`: NFC, inner line breaks and leading indentation kept, blank ends removed. */
type TextShape = 'line' | 'markdown';

function documented(options: FieldOptions, schema: Record<string, unknown>) {
  const base = { description: options.description, example: options.example, ...schema };
  return options.optional ? ApiPropertyOptional(base) : ApiProperty(base);
}

/**
 * A field that may be absent but, when sent, is checked like any other: null included, which IsOptional would let
 * through to the database as a value (a NOT NULL column's 500).
 */
export const OptionalNotNull = () => ValidateIf((_, value) => value !== undefined);

/** An optional field may be absent; null is refused unless the field says it can be cleared. */
function optionalUnlessNullable(options: FieldOptions & { nullable?: boolean }) {
  if (!options.optional) return [];
  return options.nullable ? [IsOptional()] : [OptionalNotNull()];
}

export function normalizeText(text: string, shape: TextShape = 'line'): string {
  const composed = text.normalize('NFC');
  return shape === 'markdown' ? trimBlankEnds(composed) : composed.trim();
}

/** Changes one string, or each string of an array; anything else is left for the rules to refuse. */
const ChangeEachString = (change: (text: string) => string) =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'string') return change(value);
    return Array.isArray(value) ? value.map((item: unknown) => (typeof item === 'string' ? change(item) : item)) : value;
  });

/**
 * The one normalisation of text (NFC, ends trimmed), applied before the rules are checked, so that services store
 * what was validated. Works on one string or on each string of an array.
 */
export const NormalizedText = (shape: TextShape = 'line') => ChangeEachString((text) => normalizeText(text, shape));

/** Text with nothing visible in it (spaces, zero-width characters, lone combining marks) counts as blank. */
export const NotBlank = (each = false) =>
  Matches(VISIBLE_CHARACTER, {
    each,
    message: ({ property }) => (each ? `Chaque valeur de ${property} doit être non vide.` : `${property} ne doit pas être vide.`),
  });

/** A text that must hold something visible: « blank is refused ». */
export function IsTextField(options: FieldOptions & { min?: number; max: number; nullable?: boolean; shape?: TextShape }) {
  return applyDecorators(
    documented(options, { type: String, minLength: options.min ?? 1, maxLength: options.max, nullable: options.nullable }),
    NormalizedText(options.shape),
    ...optionalUnlessNullable(options),
    IsString(),
    // one visible character is the least: NotBlank says so, without a second message for the same blank text
    ...(options.min && options.min > 1 ? [MinLength(options.min)] : []),
    MaxLength(options.max),
    NotBlank(),
  );
}

/** Free text that may be empty (a description). */
export function IsFreeTextField(options: FieldOptions & { max: number; shape?: TextShape }) {
  return applyDecorators(
    documented(options, { type: String, maxLength: options.max }),
    NormalizedText(options.shape),
    ...optionalUnlessNullable(options),
    IsString(),
    MaxLength(options.max),
  );
}

/**
 * UUIDs as Essor writes them, lower case: one sent in upper case (valid, RFC 9562 compares them without case) finds
 * its row on SQLite, which compares text exactly, as on PostgreSQL. Works on one id or on each id of a list.
 */
export const CanonicalUuid = () => ChangeEachString((id) => id.toLowerCase());

export function IsUuidField(options: FieldOptions & { nullable?: boolean } = {}) {
  return applyDecorators(
    documented(options, { type: String, format: 'uuid', nullable: options.nullable }),
    CanonicalUuid(),
    ...optionalUnlessNullable(options),
    IsUUID(),
  );
}

/** Emails are compared and stored lower-cased. */
export function IsEmailField(options: FieldOptions = {}) {
  return applyDecorators(
    documented({ example: 'camille.martin@nantesmetropole.fr', ...options }, { type: String, maxLength: 320 }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsEmail(),
    MaxLength(320),
  );
}
