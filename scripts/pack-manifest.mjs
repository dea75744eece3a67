// npm pack / npm publish hooks: `prepack` builds dist/ from scratch and writes the package.json a
// user installs, without the scripts that only make sense in a clone (prepare would make npm warn
// "install scripts not yet covered" on every install); `postpack` puts the clone's back.
//   node scripts/pack-manifest.mjs prepack | postpack
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'

const BACKUP = '.package.json.before-pack'
/** Scripts of the clone's workflow: they build or rebuild, and need dev dependencies or src/. */
const CLONE_ONLY = ['prepare', 'prepack', 'postpack', 'build', 'bench', 'lint', 'format', 'typecheck', 'test', 'test:container', 'examples:types', 'types:spec', 'docs:screenshots']

const [step] = process.argv.slice(2)
if (step === 'prepack') {
  // A pack that failed half-way left the clone's manifest in the backup: start from it.
  if (existsSync(BACKUP)) renameSync(BACKUP, 'package.json')
  rmSync('dist', { recursive: true, force: true })
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
  copyFileSync('package.json', BACKUP)
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
  for (const name of CLONE_ONLY) delete pkg.scripts[name]
  writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`)
} else if (step === 'postpack') {
  if (existsSync(BACKUP)) renameSync(BACKUP, 'package.json')
} else {
  console.error('pack-manifest: Unknown step; use prepack or postpack.')
  process.exit(2)
}
