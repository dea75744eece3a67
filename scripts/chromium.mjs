// Debian's Chromium driven by playwright-core, for the dashboard's browser tests and the docs
// screenshots. playwright-core downloads no browser: this uses /usr/bin/chromium, and installs it
// with apt-get when it is missing and we are root; otherwise it fails with the one line that fixes it.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Quiet, self-contained flags: no sandbox (root in CI), no GPU, no network of its own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Makes sure /usr/bin/chromium exists: installs Debian's package when running as root, else throws
 * one sentence saying how to install it. Slow the first time (minutes): call it with a long timeout.
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is missing: run "sudo apt-get install -y chromium" (the dashboard's browser tests drive ${CHROMIUM}).`)
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env })
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing; install Debian's chromium package by hand.`)
}

/**
 * Launches Chromium with a fresh profile; `close()` also deletes the profile.
 * @example
 * const browser = await launchChromium()
 * const page = await browser.context.newPage()
 * await browser.close()
 */
export async function launchChromium(options = {}) {
  ensureChromium()
  const profile = mkdtempSync(join(tmpdir(), 'talkover-mock-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    ...options,
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
