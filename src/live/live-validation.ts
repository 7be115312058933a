import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { MessageBody } from '@nestjs/websockets';
import { createValidationPipe, inputProblems } from '../common/validation/validation';

/**
 * Validates a live payload exactly as HTTP bodies are validated (same pipe, same VALIDATION_OPTIONS: whitelist,
 * forbidNonWhitelisted, transform), after refusing what is not an object at all (null, a string, a number, an array),
 * which class-validator would otherwise turn into an empty object or an unhelpful message, and what is nested too
 * deep or holds NUL or unpaired surrogates.
 */
@Injectable()
export class LiveValidationPipe implements PipeTransform {
  private readonly pipe = createValidationPipe();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!metadata.metatype || metadata.metatype === Object) throw new Error('A live payload must be typed with a DTO class');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestException([`payload doit être un objet, pas ${describe(value)}.`]);
    }
    // named « payload » here: the HTTP pipe below would call it the body
    const problems = inputProblems(value, 'payload');
    if (problems.length > 0) throw new BadRequestException(problems);
    return this.pipe.transform(value, metadata);
  }
}

/** What a payload that is not an object is, in the refusal's words. */
const KINDS: Partial<Record<string, string>> = { string: 'une chaîne de caractères', number: 'un nombre', boolean: 'un booléen' };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'une liste';
  return value === undefined ? 'rien' : (KINDS[typeof value] ?? `une valeur de type ${typeof value}`);
}

const livePayloadPipe = new LiveValidationPipe();

/** The validated payload of a live event (the DTO class is the parameter's type). */
export const LivePayload = (): ParameterDecorator => MessageBody(livePayloadPipe);
