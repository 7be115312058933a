/**
 * Markdown parsers have shapes they read in more than linear time, and marked's recursion has no depth limit: a line
 * of 20,000 « > » or 5,000 « - » overflows the stack (a RangeError: the post was refused with a 500), and with
 * marked 15 « [a]( » 5,000 times held the event loop for minutes (marked 18 reads it in milliseconds). Nobody types
 * these by hand; a text past one of the limits below is shown as typed instead (escaped, its paragraphs and line
 * breaks kept; its mentions are no links and notify nobody). Each limit is far above what a real post holds, and
 * bounds one of the shapes that cost most per character (renderer-limits.spec.ts renders the worst texts each lets
 * through; `npm run bench` does not cover this).
 */
export const RENDERER_LIMITS = {
  /** Container markers (« > », « - », « * », « + », « 1. ») opening one line: each is a level of marked's recursion. */
  nesting: 16,
  /** Container markers at the start of lines, in all: list items and quotes are reparsed at each level. */
  containers: 1_000,
  /** Columns of whitespace opening a line (a tab counts 4): lists nested by indentation are reparsed at each level. */
  indent: 64,
  /** « [ »: link and image openers, each tried against the rest of its line. */
  brackets: 256,
  /** « < »: each one is tried as HTML, an autolink and a tag. */
  angles: 256,
  /** « * » and « _ »: emphasis delimiters, each run matched against the others. */
  emphasis: 1_000,
  /** « ` »: code span openers, each looking for its closer. */
  backticks: 1_000,
  /** « | »: table cells, each row split and padded. */
  pipes: 2_000,
  /** « @ »: each is a possible mention or e-mail address, looked for in the rest of the text. */
  ats: 500,
  /** « & »: each is a possible entity. */
  ampersands: 2_000,
};

type CountedCharacter = 'brackets' | 'angles' | 'emphasis' | 'backticks' | 'pipes' | 'ats' | 'ampersands';
const COUNTED: Record<string, CountedCharacter> = {
  '[': 'brackets',
  '<': 'angles',
  '*': 'emphasis',
  _: 'emphasis',
  '`': 'backticks',
  '|': 'pipes',
  '@': 'ats',
  '&': 'ampersands',
};

/** Whether marked may be given the text: one pass over it, counting what makes marked slow or deep. */
export function withinRendererLimits(source: string): boolean {
  const counts = { brackets: 0, angles: 0, emphasis: 0, backticks: 0, pipes: 0, ats: 0, ampersands: 0 };
  let containers = 0;
  let depth = 0;
  let indent = 0;
  let atLineStart = true;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    const counted = COUNTED[char];
    if (counted !== undefined && ++counts[counted] > RENDERER_LIMITS[counted]) return false;
    if (char === '\n') {
      depth = 0;
      indent = 0;
      atLineStart = true;
    } else if (atLineStart) {
      if (char === ' ' || char === '\t') {
        indent += char === '\t' ? 4 : 1;
        if (indent > RENDERER_LIMITS.indent) return false;
        continue;
      }
      const marker = containerMarkerLength(source, index);
      if (marker === 0) atLineStart = false;
      else {
        if (++depth > RENDERER_LIMITS.nesting || ++containers > RENDERER_LIMITS.containers) return false;
        index += marker - 1;
      }
    }
  }
  return true;
}

/** The length of the container marker at `index` (« > », « - », « * », « + », or up to 9 digits and « . » or « ) »), or 0. */
function containerMarkerLength(source: string, index: number): number {
  const char = source[index];
  if (char === '>' || char === '-' || char === '*' || char === '+') return 1;
  let end = index;
  while (end < source.length && end - index < 9 && source[end] >= '0' && source[end] <= '9') end++;
  return end > index && (source[end] === '.' || source[end] === ')') ? end - index + 1 : 0;
}
