import { getMetadataStorage, MetadataStorage, ValidationError, ValidationTypes } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** What a rule says about one field: `field` is its path (`agenda.0.title`), `args` the rule's own constraints. */
type FrenchRule = (field: string, args: unknown[]) => string;

const list = (values: unknown) => (Array.isArray(values) ? values.map(String).join(', ') : String(values));
const characters = (count: unknown) => `${String(count)} caractère${Number(count) > 1 ? 's' : ''}`;
const elements = (count: unknown) => `${String(count)} élément${Number(count) > 1 ? 's' : ''}`;

/**
 * class-validator's rules in French, keyed by constraint name: each sentence names the field, as the contract asks.
 * A rule missing here gets FALLBACK; a DTO that gives its own message keeps it.
 */
const FRENCH_RULES: Record<string, FrenchRule> = {
  [ValidationTypes.WHITELIST]: (field) => `La propriété ${field} n’est pas autorisée.`,
  [ValidationTypes.NESTED_VALIDATION]: (field) => `${field} doit être un objet ou une liste d’objets.`,
  [ValidationTypes.IS_DEFINED]: (field) => `${field} est obligatoire.`,
  unknownValue: () => 'Le contenu envoyé n’est pas un objet reconnu.',
  isString: (field) => `${field} doit être une chaîne de caractères.`,
  isBoolean: (field) => `${field} doit être true ou false.`,
  isInt: (field) => `${field} doit être un nombre entier.`,
  isNumber: (field) => `${field} doit être un nombre.`,
  isArray: (field) => `${field} doit être une liste.`,
  isObject: (field) => `${field} doit être un objet.`,
  isNotEmpty: (field) => `${field} ne doit pas être vide.`,
  isEmail: (field) => `${field} doit être une adresse e-mail valide.`,
  isUrl: (field) => `${field} doit être une adresse web valide.`,
  isUuid: (field) => `${field} doit être un UUID.`,
  isIso8601: (field) => `${field} doit être une date ISO 8601 valide.`,
  isDateString: (field) => `${field} doit être une date ISO 8601 valide.`,
  isIn: (field, [values]) => `${field} doit être l’une des valeurs suivantes : ${list(values)}.`,
  isEnum: (field, [, values]) => `${field} doit être l’une des valeurs suivantes : ${list(values)}.`,
  equals: (field, [value]) => `${field} doit valoir ${String(value)}.`,
  matches: (field) => `${field} n’a pas le format attendu.`,
  min: (field, [bound]) => `${field} doit être supérieur ou égal à ${String(bound)}.`,
  max: (field, [bound]) => `${field} doit être inférieur ou égal à ${String(bound)}.`,
  minLength: (field, [count]) => `${field} doit compter au moins ${characters(count)}.`,
  maxLength: (field, [count]) => `${field} doit compter au plus ${characters(count)}.`,
  arrayMinSize: (field, [count]) => `${field} doit contenir au moins ${elements(count)}.`,
  arrayMaxSize: (field, [count]) => `${field} doit contenir au plus ${elements(count)}.`,
  arrayNotEmpty: (field) => `${field} ne doit pas être une liste vide.`,
  arrayUnique: (field) => `${field} ne doit pas contenir deux fois la même valeur.`,
};

const FALLBACK: FrenchRule = (field) => `${field} n’est pas valide.`;

/** Each DTO class's rules, read once: a refusal of a large payload can name thousands of fields. */
const rulesByClass = new WeakMap<object, ValidationMetadata[]>();

/** The metadata of the rule `constraint` on `property` of `target`, to tell its arguments and whether it has its own message. */
function ruleOf(target: object | undefined, property: string, constraint: string): ValidationMetadata | undefined {
  if (!target) return undefined;
  let rules = rulesByClass.get(target.constructor);
  if (!rules) {
    rules = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
    rulesByClass.set(target.constructor, rules);
  }
  return rules.filter((metadata) => metadata.propertyName === property && (metadata.name ?? metadata.type) === constraint).at(-1);
}

/** One refused rule in French: the DTO's own message when it has one (prefixed with the parent path, as Nest does). */
function frenchMessage(error: ValidationError, parentPath: string, constraint: string, text: string): string {
  const field = parentPath ? `${parentPath}.${error.property}` : error.property;
  const rule = ruleOf(error.target, error.property, constraint);
  // ValidateNested always carries class-validator's own sentence as if it were the DTO's
  if (rule?.message && constraint !== ValidationTypes.NESTED_VALIDATION) return parentPath ? `${parentPath}.${text}` : text;
  const french = (FRENCH_RULES[constraint] ?? FALLBACK)(field, rule?.constraints ?? []);
  return rule?.each ? `Chaque valeur de ${french}` : french;
}

/**
 * Every refused rule of a validation, in French, each naming its field by path (`agenda.0.title`, as Nest's own
 * flattening does): a field's own rules first, then those of what it holds.
 */
export function frenchValidationMessages(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const own = Object.entries(error.constraints ?? {}).map(([constraint, text]) => frenchMessage(error, parentPath, constraint, text));
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    return [...own, ...frenchValidationMessages(error.children ?? [], path)];
  });
}
