import { applyDecorators, ValidationPipe } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

/** The one validation setup, shared by the HTTP app, the live gateway and the tests. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  forbidUnknownValues: true,
  stopAtFirstError: false,
} as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe(VALIDATION_OPTIONS);
}

type FieldOptions = { optional?: boolean; description?: string; example?: unknown };

function documented(options: FieldOptions, schema: Record<string, unknown>) {
  const base = { description: options.description, example: options.example, ...schema };
  return options.optional ? ApiPropertyOptional(base) : ApiProperty(base);
}

/** An optional field may be absent; null is refused unless the field says it can be cleared. */
function optionalUnlessNullable(options: FieldOptions & { nullable?: boolean }) {
  if (!options.optional) return [];
  return options.nullable ? [IsOptional()] : [ValidateIf((_, value) => value !== undefined)];
}

/** A text that must hold something other than white space: « blank is refused ». */
export function IsTextField(options: FieldOptions & { min?: number; max: number; nullable?: boolean }) {
  return applyDecorators(
    documented(options, { type: String, minLength: options.min ?? 1, maxLength: options.max, nullable: options.nullable }),
    ...optionalUnlessNullable(options),
    IsString(),
    MinLength(options.min ?? 1),
    MaxLength(options.max),
    Matches(/\S/, { message: ({ property }) => `${property} must not be blank` }),
  );
}

/** Free text that may be empty (a description), trimmed of nothing. */
export function IsFreeTextField(options: FieldOptions & { max: number }) {
  return applyDecorators(
    documented(options, { type: String, maxLength: options.max }),
    ...optionalUnlessNullable(options),
    IsString(),
    MaxLength(options.max),
  );
}

export function IsUuidField(options: FieldOptions & { nullable?: boolean } = {}) {
  return applyDecorators(
    documented(options, { type: String, format: 'uuid', nullable: options.nullable }),
    ...optionalUnlessNullable(options),
    IsUUID(),
  );
}

/** Emails are compared and stored lower-cased. */
export const LowerCaseTrimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
