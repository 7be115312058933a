/** Lower-case and strip accents, so that « evaluation » finds « Évaluation ». Keeps one character per character. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'o')
    .replace(/æ/g, 'a');
}

/** The lowercase ASCII form of a name with hyphens: « Métropole de Lyon » → metropole-de-lyon. */
export function slugify(name: string): string {
  const slug = foldForSearch(name.replace(/œ/gi, 'oe').replace(/æ/gi, 'ae'))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'sans-titre';
}

/** An optional text that null or an empty text clears (its DTO trimmed it already). */
export function emptyAsNull(value: string | null | undefined): string | null {
  return value ? value : null;
}
