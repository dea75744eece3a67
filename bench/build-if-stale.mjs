// `npm run bench` builds first only when dist/ is older than what it is built from (src/, the
// spec, the default fixtures, the build scripts, package.json): `npm ci` has just built it on a
// fresh clone, and a second build would add ~30 s to the run.
//   node bench/build-if-stale.mjs
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
/** Newest modification time of a file or of every file under a folder, ms. */
const newest = (path) => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}
const built = join(root, 'dist/cli.js')
const inputs = [
  'src',
  'openapi.yaml',
  'fixtures/default',
  'scripts/build-artefacts.mjs',
  'scripts/bundle-cli.mjs',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
]
const stale = !existsSync(built) || !existsSync(join(root, 'dist/prebuilt')) || inputs.some((p) => newest(join(root, p)) > statSync(built).mtimeMs)
if (stale) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
else console.error('bench: dist/ is newer than its sources, not rebuilding')
