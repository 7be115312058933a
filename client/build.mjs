// Bundles the web client into client/dist with esbuild, minified: app-<hash>.js and app-<hash>.css (names that change
// with their content, so the server lets browsers keep them for a year), the screens loaded on first use in chunks of
// their own (<name>-<hash>.js), index.html pointing at the entry, and a brotli and a gzip copy of each beside it, made
// once here rather than at every request. Prints the sizes; fails when the first load's JS is over budget.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
// the budget: what a phone loads before the first screen (the entry and the chunks it imports) stays light
const JS_BUDGET_BYTES = 100 * 1024;

/**
 * socket.io over WebSocket only: engine.io-client's table of transports is replaced by one naming the WebSocket
 * transport, so HTTP long-polling and WebTransport (about 5.5 KB minified) are left out of the bundle. Every supported
 * browser has WebSocket; where a proxy refuses it, the client works over HTTP without live updates, and says so.
 */
const websocketOnly = {
  name: 'websocket-only',
  setup(bundler) {
    bundler.onResolve({ filter: /^\.\/transports\/index\.js$/ }, ({ importer }) =>
      importer.includes(`${sep}engine.io-client${sep}`)
        ? { path: join(dirname(importer), 'transports', 'index.js'), namespace: 'websocket-only' }
        : undefined,
    );
    bundler.onLoad({ filter: /.*/, namespace: 'websocket-only' }, ({ path }) => ({
      contents: "import { WS } from './websocket.js'; export const transports = { websocket: WS };",
      resolveDir: dirname(path),
    }));
  },
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src', 'app.ts'), join(root, 'src', 'app.css')],
  outdir: dist,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  // ES modules, so that screens rarely opened (a session room, settings, administration…) load on first use
  format: 'esm',
  splitting: true,
  // the browsers supported, and no ES-year floor besides: es2020 made esbuild lower the class fields they all run
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  // French text as UTF-8 rather than \u escapes (« é » is 2 bytes, not 6); the page and the server both say UTF-8
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  plugins: [websocketOnly],
});

const outputs = result.metafile.outputs;
const files = Object.keys(outputs);
const js = files.find((file) => outputs[file].entryPoint?.endsWith('app.ts'));
const css = files.find((file) => file.endsWith('.css'));

/** The entry and every chunk it imports statically: what runs before the first screen. */
const firstLoad = new Set();
const visit = (file) => {
  if (firstLoad.has(file)) return;
  firstLoad.add(file);
  for (const { path, kind } of outputs[file].imports) if (kind === 'import-statement') visit(path);
};
visit(js);

// the chunks the entry imports are fetched with it rather than after it has been parsed
const preloads = [...firstLoad]
  .filter((file) => file !== js)
  .map((file) => `<link rel="modulepreload" href="/${basename(file)}" />`)
  .join('');
const page = (await readFile(join(root, 'src', 'index.html'), 'utf8'))
  .replace('/app.css', `/${basename(css)}`)
  .replace('/app.js', `/${basename(js)}`)
  .replace('</head>', `${preloads}</head>`);
await writeFile(join(dist, 'index.html'), page);

const sizes = {};
// esbuild names its outputs relative to the working directory; index.html is named the same way
for (const file of [...files.filter((f) => f.endsWith('.js') || f.endsWith('.css')), relative(process.cwd(), join(dist, 'index.html'))]) {
  const content = await readFile(join(process.cwd(), file));
  const brotli = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } });
  const gzip = gzipSync(content, { level: 9 });
  await writeFile(join(process.cwd(), `${file}.br`), brotli);
  await writeFile(join(process.cwd(), `${file}.gz`), gzip);
  sizes[file] = { raw: content.length, gzip: gzip.length, brotli: brotli.length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
for (const [file, { raw, gzip, brotli }] of Object.entries(sizes)) {
  const role = firstLoad.has(file) ? ' (first load)' : file.endsWith('.js') ? ' (on first use)' : '';
  console.log(`client/dist/${basename(file)}${role}: ${kb(raw)} (${raw} bytes), gzip ${kb(gzip)}, brotli ${kb(brotli)}`);
}
const sum = (list) => list.reduce((total, file) => total + sizes[file].raw, 0);
const jsBytes = sum([...firstLoad]);
const laterBytes = sum(files.filter((file) => file.endsWith('.js') && !firstLoad.has(file)));
console.log(`client JS ${jsBytes} bytes at first load (budget ${JS_BUDGET_BYTES} bytes), ${laterBytes} bytes more on first use of other screens`);
if (jsBytes > JS_BUDGET_BYTES) {
  console.error(`client JS is over its budget of ${JS_BUDGET_BYTES} bytes`);
  process.exit(1);
}
