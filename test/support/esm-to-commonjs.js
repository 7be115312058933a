// Jest's module system runs CommonJS only on Node 20 (Node itself loads an ES module with require() since 20.19): the
// ES-module-only packages Essor requires (marked) are compiled to CommonJS by esbuild, the client's own bundler.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, sourcePath) {
    const { code, map } = transformSync(source, { format: 'cjs', target: 'node20', sourcemap: true, sourcefile: sourcePath, loader: 'js' });
    return { code, map };
  },
};
