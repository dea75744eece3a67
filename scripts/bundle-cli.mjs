// Build step after tsc and build-artefacts (`npm run build`): bundles the CLI's start path into one
// file, dist/cli.js (which the `talkover-mock` bin, dist/bin.js, runs), so starting the server loads one module instead of
// ~110 (src/, hono, @hono/node-server). What the first request does not need — record, verify,
// trigger, check-receiver, the dashboard — stays in chunks beside it (dist/cli-*.js), loaded by
// the dynamic import() that already separates them in the source. The library entry points
// (dist/index.js, testing.js, msw.js, testcontainers.js) stay tsc's output, with their .d.ts.
//   node scripts/bundle-cli.mjs            (after tsc and build-artefacts.mjs)
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../', import.meta.url))
const dist = join(root, 'dist')
const src = join(root, 'src')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
/** Bundled: what serving needs. Everything else a dependency offers stays a run-time import (faker, Ajv, yaml are loaded lazily). */
const BUNDLED = new Set(['hono', '@hono/node-server'])
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((name) => !BUNDLED.has(name))

/**
 * A module finds the packaged files (openapi.yaml, fixtures/, dist/prebuilt/, package.json)
 * relative to its own URL. In the bundle every module's code sits in dist/, so each one's
 * `import.meta.url` becomes the URL its tsc output has (dist/http/prebuilt.js, …): paths resolve as before.
 */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (!args.path.startsWith(src)) return undefined
      const text = readFileSync(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      const asBuilt = `./${relative(src, args.path).replace(/\.tsx?$/, '.js')}`
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(asBuilt)}, import.meta.url).href`), loader: args.path.endsWith('x') ? 'tsx' : 'ts' }
    })
  },
}

// Chunks of an earlier build would pile up: their names carry a content hash.
for (const name of readdirSync(dist)) if (/^cli-.*\.js(\.map)?$/.test(name)) rmSync(join(dist, name))
const result = await build({
  entryPoints: { cli: join(src, 'cli.ts') },
  outdir: dist,
  // Chunks live beside cli.js (not in a folder) so the URL rewrite above holds for them too.
  chunkNames: 'cli-[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  tsconfig: join(root, 'tsconfig.build.json'),
  plugins: [ownUrl],
  metafile: true,
  logLevel: 'warning',
})
// The bin (tsc's dist/bin.js, which picks the heap and loads cli.js) must stay executable for
// `npx talkover-mock` in a clone and in the packed tarball.
chmodSync(join(dist, 'bin.js'), 0o755)
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'))
const kb = (bytes) => `${Math.round(bytes / 1024)} kB`
const entry = outputs.find(([file]) => file.endsWith('dist/cli.js'))
console.log(`bundle-cli: dist/cli.js ${kb(entry[1].bytes)}, ${outputs.length - 1} lazy chunks (${kb(outputs.reduce((s, [, o]) => s + o.bytes, 0) - entry[1].bytes)})`)
