import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, MaxLength, Min, ValidateBy, ValidateNested, validate } from 'class-validator';
import { frenchValidationMessages } from './french-messages';

class Item {
  @IsString() @MaxLength(5) title!: string;
  @IsInt() @Min(1) minutes!: number;
}

class Form {
  @IsIn(['watching', 'normal', 'muted']) level!: string;
  @IsString({ each: true }) tags!: unknown[];
  @Matches(/^[a-z]+$/, { message: 'handle : des minuscules seulement.' }) handle!: string;
  @ValidateBy({ name: 'isEven', validator: { validate: (value) => value === 2 } }) even!: number;
  @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
}

async function messagesOf(input: object): Promise<string[]> {
  const errors = await validate(plainToInstance(Form, input), { whitelist: true, forbidNonWhitelisted: true });
  return frenchValidationMessages(errors);
}

describe('frenchValidationMessages', () => {
  it('says each refused rule in French, naming the field by its path, with the rule’s own arguments', async () => {
    const messages = await messagesOf({
      level: 'loud',
      tags: ['a', 3],
      handle: 'Camille',
      even: 3,
      items: [{ title: 'Ordre du jour', minutes: 0 }],
      extra: true,
    });
    expect(messages).toEqual([
      'La propriété extra n’est pas autorisée.',
      'level doit être l’une des valeurs suivantes : watching, normal, muted.',
      'Chaque valeur de tags doit être une chaîne de caractères.',
      'handle : des minuscules seulement.',
      'even n’est pas valide.',
      'items.0.title doit compter au plus 5 caractères.',
      'items.0.minutes doit être supérieur ou égal à 1.',
    ]);
  });

  it('says so when a nested value is not an object', async () => {
    const messages = await messagesOf({ level: 'normal', tags: [], handle: 'camille', even: 2, items: ['texte'] });
    expect(messages).toEqual(['items.0 doit être un objet ou une liste d’objets.']);
  });
});
