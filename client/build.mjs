// Bundles the web client into client/dist (index.html, app.js, app.css) with esbuild, minified, and prints its size.
import { build } from 'esbuild';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
// the budget of the brief: the whole client stays light on a phone
const JS_BUDGET_BYTES = 150 * 1024;

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src', 'app.ts'), join(root, 'src', 'app.css')],
  outdir: dist,
  bundle: true,
  minify: true,
  format: 'iife',
  // the browsers supported, and no ES-year floor besides: es2020 made esbuild lower the class fields they all run
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
await copyFile(join(root, 'src', 'index.html'), join(dist, 'index.html'));

const js = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
let total = 0;
for (const file of js) total += (await stat(file)).size;
const css = (await stat(join(dist, 'app.css'))).size;
console.log(
  `client/dist: JS ${(total / 1024).toFixed(1)} KB (${total} bytes, budget ${JS_BUDGET_BYTES / 1024} KB), CSS ${(css / 1024).toFixed(1)} KB`,
);
if (total > JS_BUDGET_BYTES) {
  console.error(`client JS is over its budget of ${JS_BUDGET_BYTES} bytes`);
  process.exit(1);
}
