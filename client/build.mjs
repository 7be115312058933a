// Bundles the web client into client/dist with esbuild, minified: app-<hash>.js and app-<hash>.css (names that change
// with their content, so the server lets browsers keep them for a year), index.html pointing at them, and a brotli
// and a gzip copy of each beside it, made once here rather than at every request. Prints the sizes; fails over budget.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
// the budget: the whole client stays light on a phone. 104 KB: the client was at its 100 KB when the attached
// files' UI (3.5 KB: picker, progress, lists, previews) came; the integrator decides whether to keep it or cut elsewhere
const JS_BUDGET_BYTES = 104 * 1024;

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
  bundle: true,
  minify: true,
  format: 'iife',
  // the browsers supported, and no ES-year floor besides: es2020 made esbuild lower the class fields they all run
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  // French text as UTF-8 rather than \u escapes (« é » is 2 bytes, not 6); the page and the server both say UTF-8
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  plugins: [websocketOnly],
});

const outputs = Object.keys(result.metafile.outputs).map((file) => join(process.cwd(), file));
const js = outputs.find((file) => file.endsWith('.js'));
const css = outputs.find((file) => file.endsWith('.css'));
const page = (await readFile(join(root, 'src', 'index.html'), 'utf8'))
  .replace('/app.css', `/${basename(css)}`)
  .replace('/app.js', `/${basename(js)}`);
await writeFile(join(dist, 'index.html'), page);

const sizes = {};
for (const file of [js, css, join(dist, 'index.html')]) {
  const content = await readFile(file);
  const brotli = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } });
  const gzip = gzipSync(content, { level: 9 });
  await writeFile(`${file}.br`, brotli);
  await writeFile(`${file}.gz`, gzip);
  sizes[basename(file)] = { raw: content.length, gzip: gzip.length, brotli: brotli.length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
for (const [name, { raw, gzip, brotli }] of Object.entries(sizes)) {
  console.log(`client/dist/${name}: ${kb(raw)} (${raw} bytes), gzip ${kb(gzip)}, brotli ${kb(brotli)}`);
}
const jsBytes = sizes[basename(js)].raw;
console.log(`client JS ${jsBytes} bytes, budget ${JS_BUDGET_BYTES} bytes`);
if (jsBytes > JS_BUDGET_BYTES) {
  console.error(`client JS is over its budget of ${JS_BUDGET_BYTES} bytes`);
  process.exit(1);
}
