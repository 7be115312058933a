import fc from 'fast-check';

/** fast-check settings shared by the fuzz suites: a fixed seed in `npm test`, FUZZ_SEED and FUZZ_RUNS for longer runs. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 12);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 20261201));

/** Jest's limit for one fuzz test: a long run (FUZZ_RUNS) takes longer than the suite's default minute. */
export const FUZZ_TIMEOUT_MS = Math.max(60_000, FUZZ_RUNS * 3_000);

export function fuzzParameters(label: string): fc.Parameters<unknown> {
  return {
    seed: FUZZ_SEED,
    numRuns: FUZZ_RUNS,
    // the report fast-check prints on failure carries the seed and path; say which route and how to replay it
    reporter: (details) => {
      if (details.failed) {
        throw new Error(`${label}: replay with FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS}\n${fc.defaultReportMessage(details)}`);
      }
    },
  };
}

/** Strings that have broken text handling somewhere: invisible, reversed, unpaired, control, huge, look-alike. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '\u200B\u200C\u200D\uFEFF',
  '\u202Eevil\u202C',
  '\u05D0\u05D1\u05D2 RTL',
  'e\u0301\u0301\u0301\u0301',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358',
  '👩🏽‍🚀👨‍👩‍👧‍👦',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'null',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  '00000000-0000-0000-0000-000000000000',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '[x](javascript:alert(1))',
  "' OR 1=1 --",
  '../../../etc/passwd',
  '%00%ff',
  'a@b',
  'x@\uD800.fr',
  '\uD800@example.org',
  'admin@essor.local\u0000',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...NASTY_STRINGS), { maxLength: 5 }).map((parts) => parts.join('x')) },
  { weight: 1, arbitrary: fc.integer({ min: 190, max: 25_000 }).map((length) => 'é'.repeat(length)) },
  { weight: 1, arbitrary: fc.constantFrom('\u200B'.repeat(300), 'a'.repeat(200_000), '\u0000'.repeat(1000)) },
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, 0.5, -0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, with object keys that include the prototype's own names. */
const keyName = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty'));
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    nastyNumber,
    nastyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keyName, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON text nested `depth` levels deep, in arrays or objects; written as text, since building it as a value is the very recursion under test. */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(33, 100, 5_000, 400_000), fc.boolean())
  .map(([depth, arrays]) => (arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

/** An object of thousands of keys, some of them the prototype's. */
export const wideObject: fc.Arbitrary<Record<string, unknown>> = fc.integer({ min: 100, max: 5_000 }).map((width) => {
  const wide: Record<string, unknown> = {};
  for (let index = 0; index < width; index += 1) wide[`k${index}`] = index;
  Object.defineProperty(wide, '__proto__', { value: { polluted: true }, enumerable: true });
  return wide;
});

/** A valid cursor's encoding around a shape no decoder expects. */
export const craftedCursor: fc.Arbitrary<string> = anyJson.map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url'));

export const uuid = fc.uuid();

/** encodeURIComponent throws on an unpaired surrogate: those travel as raw percent-escapes instead. */
export const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/**
 * Bytes for a URL's path segment or query value, percent-encoded by hand: `encodeURIComponent` throws on lone
 * surrogates, and the server must also survive what no well-behaved client sends (invalid UTF-8, stray `%`).
 */
export const urlPart = (known: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known, 'x') },
    { weight: 3, arbitrary: nastyString.map((text) => encodeURIComponent(wellFormed(text))) },
    { weight: 1, arbitrary: fc.constantFrom('%ED%A0%80', '%00', '%FF%FE', '%', '%zz', '..', '%2e%2e%2f', '%E2%80%8B') },
    { weight: 1, arbitrary: craftedCursor },
  );

/** Header values Node's client can send (visible latin-1), strange for the server. */
const headerValue = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
  fc.constantFrom('*', '"x"', 'W/"0"', '0'.repeat(8_000), 'é', 'Bearer', 'Bearer x.y.z', 'Basic Zm9vOmJhcg=='),
);
export const strangeHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'If-None-Match': headerValue,
    Accept: fc.constantFrom('*/*', 'text/markdown', 'application/xml', 'x/y;q=abc', ''),
    'Accept-Language': headerValue,
    'X-Forwarded-For': fc.constantFrom('1.2.3.4', 'garbage', '::1, 2.2.2.2', ''),
    Range: fc.constantFrom('bytes=0-1', 'bytes=-1', 'bytes=abc', 'items=0-9'),
    'Content-Type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/vnd.api+json',
    ),
  },
  { requiredKeys: [] },
);

/** Pieces of plain text, French as people type it, and every syntax, hostile markup and odd character beside them. */
const PLAIN_PIECES = [
  'Compte rendu',
  ' de l’atelier',
  'élus',
  'œuvre',
  ' : ',
  '\u00a0: ',
  ', ',
  '. ',
  '?',
  '! ',
  '(pistes)',
  '« citée »',
  '"guillemets"',
  "l'eau",
  '50 %',
  '3-17',
  '2026.',
  ' ',
  '\n',
  '\n\n',
  '\n\n\n',
];
const TRICKY_PIECES = [
  '  ',
  '\t',
  '\r\n',
  '\r',
  '\u2028',
  '\u0000',
  '\ufeff',
  // NFC turns these into a backtick, a semicolon and a plain space
  '\u1fef',
  '\u037e',
  '\u2000',
  '\u00a0',
  '#',
  '# ',
  '## titre',
  '=',
  '===',
  '-',
  '- ',
  '---',
  // a table's delimiter row, pipes being optional in GFM
  ':-',
  ':--:',
  '+ ',
  '* ',
  '1. ',
  '3) ',
  '    code',
  '> ',
  '**gras**',
  '_penché_',
  '~~barré~~',
  '`code`',
  '```',
  '\\',
  '[lien](https://example.org)',
  '![img](https://example.org/a.png)',
  '[a](javascript:alert(1))',
  'javascript:alert(1)',
  'https://example.org',
  'http://',
  'www.example.org',
  'x@example.org',
  '@marie',
  ' @bob ',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<b style="color:red">',
  ' onclick="alert(1)" ',
  '&amp;',
  '&lt;script&gt;',
  '&#106;avascript:',
  '&',
  '<',
  '>',
  '|',
  '| a | b |\n|---|---|',
  '😀',
];
const pieces = (from: fc.Arbitrary<string>, maxLength: number) => fc.array(from, { maxLength }).map((parts) => parts.join(''));
const mixed = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PLAIN_PIECES) }, { weight: 1, arbitrary: fc.constantFrom(...TRICKY_PIECES) });
// line by line too, so that a plain line meets a syntax that needs a line of its own (a setext underline, a list item)
const line = fc.oneof(
  { weight: 4, arbitrary: pieces(fc.constantFrom(...PLAIN_PIECES), 6) },
  { weight: 2, arbitrary: pieces(mixed, 6) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_PIECES) },
);
/**
 * Markdown as people type it, mostly plain French, mixed with every syntax, hostile markup (scripts, handlers,
 * `javascript:` links, entities) and odd character a plain-text shortcut must leave to the full path: for the
 * property tests that hold such a shortcut to its full path.
 */
export const markdownText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: pieces(fc.constantFrom(...PLAIN_PIECES), 16) },
  { weight: 3, arbitrary: pieces(mixed, 16) },
  { weight: 3, arbitrary: fc.array(line, { maxLength: 8 }).map((lines) => lines.join('\n')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
