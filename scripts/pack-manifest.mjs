// npm pack / npm publish hooks: `prepack` builds dist/ from scratch, writes the package.json a
// user installs, without the scripts that only make sense in a clone (prepare would make npm warn
// "install scripts not yet covered" on every install), and points every relative link of the
// README and docs/ whose target the package does not ship (the Dockerfile, deploy/, scripts/,
// .ci/run …) at the repository; `postpack` puts the clone's files back.
//   node scripts/pack-manifest.mjs prepack | postpack
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'

const BACKUP = '.package.json.before-pack'
/** The clone's README and docs pages while the packed ones point at the repository. */
const PAGES_BACKUP = '.pages.before-pack'
/** Scripts of the clone's workflow: they build or rebuild, and need dev dependencies or src/. */
const CLONE_ONLY = ['prepare', 'prepack', 'postpack', 'build', 'bench', 'lint', 'format', 'typecheck', 'test', 'test:container', 'examples:types', 'types:spec', 'docs:screenshots']

/** Puts back what an earlier step (or a pack that failed half-way) set aside. */
function restore() {
  if (existsSync(BACKUP)) renameSync(BACKUP, 'package.json')
  if (!existsSync(PAGES_BACKUP)) return
  for (const page of walk(PAGES_BACKUP)) renameSync(join(PAGES_BACKUP, page), page)
  rmSync(PAGES_BACKUP, { recursive: true, force: true })
}

function walk(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(dir, posix.join(prefix, entry.name)) : [posix.join(prefix, entry.name)],
  )
}

/** `https://github.com/owner/name` from package.json's repository. */
function repositoryUrl(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
  if (!url) throw new Error('pack-manifest: package.json has no repository URL to point unshipped links at.')
  return url.replace(/^git\+/, '').replace(/\.git$/, '')
}

/** Rewrites `page`'s relative links to files outside `shipped` as links into the repository. */
function pointAtRepository(page, shipped, repo) {
  const text = readFileSync(page, 'utf8')
  const out = text.replace(/\]\((?!https?:|mailto:|#)([^)#\s]+)(#[^)\s]*)?\)/g, (whole, target, anchor = '') => {
    const path = posix.normalize(posix.join(posix.dirname(page), target)).replace(/\/$/, '')
    if (shipped.has(path) || [...shipped].some((p) => p.startsWith(`${path}/`))) return whole
    const kind = existsSync(path) && statSync(path).isDirectory() ? 'tree' : 'blob'
    return `](${repo}/${kind}/main/${path}${anchor})`
  })
  if (out === text) return
  mkdirSync(dirname(join(PAGES_BACKUP, page)), { recursive: true })
  copyFileSync(page, join(PAGES_BACKUP, page))
  writeFileSync(page, out)
}

const [step] = process.argv.slice(2)
if (step === 'prepack') {
  restore()
  rmSync('dist', { recursive: true, force: true })
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
  copyFileSync('package.json', BACKUP)
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
  for (const name of CLONE_ONLY) delete pkg.scripts[name]
  writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`)
  // What npm will pack, from npm itself (no scripts: this is one of them).
  const listing = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' })
  const shipped = new Set(JSON.parse(listing.slice(listing.indexOf('[')))[0].files.map((f) => f.path))
  const repo = repositoryUrl(pkg)
  for (const page of [...shipped].filter((p) => p === 'README.md' || (p.startsWith('docs/') && p.endsWith('.md')))) pointAtRepository(page, shipped, repo)
} else if (step === 'postpack') {
  restore()
} else {
  console.error('pack-manifest: Unknown step; use prepack or postpack.')
  process.exit(2)
}
