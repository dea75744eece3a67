// `talkover-mock check-receiver`: reads its flags, then checks a receiver here (--url and --secret)
// or asks a running mock to check one of its webhooks (--webhook, POST /__mock/receiver-check: the
// secret never leaves the mock, which exposes it nowhere). Pure apart from the fetch and send it is
// handed; cli.ts prints the output and exits with the status.
import { parseArgs } from 'node:util'
import { checkUrl, parseAllowList, type AllowedHost } from '../delivery/allow.js'
import type { Target } from '../delivery/attempt.js'
import { isReservedHeader } from '../delivery/headers.js'
import type { SendRequest, SendResult } from '../delivery/send.js'
import { redactUrl } from '../http/redact.js'
import { callMock } from './call-mock.js'
import { CHECKS } from './checks.js'
import { exitStatus, formatReport, type ReportFormat } from './report.js'
import { DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, requestCount, runChecks, type CheckReport } from './run.js'

/** A bad command line or a check that could not be made: one sentence; the CLI exits 2. */
export class CheckUsageError extends Error {
  override name = 'CheckUsageError'
}

/** parseArgs' message without the values it quotes: a flag keeps its name, anything else goes (it may be a secret). */
const hideValues = (text: string) =>
  text.replace(/'([^']*)'/g, (_, quoted: string) => (/^--?[\w-]+/.test(quoted) ? `'${/^--?[\w-]+/.exec(quoted)![0]}'` : 'an argument'))

function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        secret: { type: 'string' },
        method: { type: 'string' },
        header: { type: 'string', multiple: true },
        webhook: { type: 'string' },
        campaign: { type: 'boolean' },
        from: { type: 'string' },
        session: { type: 'string' },
        'admin-token': { type: 'string' },
        timeout: { type: 'string' },
        allow: { type: 'string', multiple: true },
        format: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values
  } catch (error) {
    const why = hideValues((error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, ''))
    throw new CheckUsageError(`${why}. Run talkover-mock check-receiver --help for the accepted flags.`)
  }
}

export type CheckRequest = { format: ReportFormat; timeout?: number } & (
  | { mode: 'url'; url: string; secret: string; allow: AllowedHost[]; method: Target['method']; headers: Target['customHeaders'] }
  | { mode: 'mock'; from: string; session?: string; adminToken?: string; body: Record<string, string> }
)

/**
 * Reads the `check-receiver` arguments (after the command's name); undefined for --help.
 * @example
 * parseCheck(['--url', 'http://127.0.0.1:3000/hook', '--secret', 'whsec_…'], {}) //=> { mode: 'url', format: 'table', … }
 */
export function parseCheck(argv: string[], env: Record<string, string | undefined>): CheckRequest | undefined {
  const v = readArgs(argv)
  if (v.help) return undefined
  const format = (v.format ?? 'table') as ReportFormat
  if (!['table', 'json', 'junit'].includes(format)) throw new CheckUsageError('Invalid --format: use table, json or junit (the value is not shown).')
  let timeout: number | undefined
  if (v.timeout !== undefined) {
    timeout = /^\d{1,3}(\.\d{1,3})?$/.test(v.timeout) ? Number(v.timeout) : Number.NaN
    if (!(timeout > 0 && timeout <= MAX_TIMEOUT_S))
      throw new CheckUsageError(`Invalid --timeout: use seconds from 0.001 to ${MAX_TIMEOUT_S}, like 30 (the value is not shown).`)
  }
  if ((v.url === undefined) === (v.webhook === undefined))
    throw new CheckUsageError('Name one receiver: --url <receiver> --secret <whsec_…>, or --webhook <agent_id>/<webhook_id> of a running mock.')
  if (v.url !== undefined) {
    const secret = v.secret ?? (env.TALKOVER_WEBHOOK_SECRET || undefined)
    if (!secret)
      throw new CheckUsageError(
        "Missing --secret: pass the receiver's webhook secret (or set TALKOVER_WEBHOOK_SECRET), like whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw.",
      )
    if (secret.length > 255) throw new CheckUsageError('Invalid --secret: a webhook secret has at most 255 characters (the value is not shown).')
    const allow = parseAllowList((v.allow ?? []).join(','))
    if (typeof allow === 'string')
      throw new CheckUsageError('Invalid --allow: use host or host:port, comma-separated, like receiver:3000 (the value is not shown).')
    const method = (v.method ?? 'POST').toUpperCase()
    if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH')
      throw new CheckUsageError("Invalid --method: use POST, PUT or PATCH, as a webhook's http_method (the value is not shown).")
    return { mode: 'url', format, timeout, url: v.url, secret, allow, method, headers: (v.header ?? []).map(header) }
  }
  const urlOnly = (['secret', 'allow', 'method', 'header'] as const).find((flag) => v[flag] !== undefined)
  if (urlOnly)
    throw new CheckUsageError(
      `--${urlOnly} goes with --url: with --webhook the mock uses the webhook's own secret, method, custom headers and its --deliver-allow list.`,
    )
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(v.webhook ?? '')
  if (!match) throw new CheckUsageError('Invalid --webhook: use <agent_id>/<webhook_id>, like dev-agent/local (the value is not shown).')
  const from = (v.from ?? env.TALKOVER_MOCK_URL ?? 'http://127.0.0.1:4010').replace(/\/+$/, '')
  if (!URL.canParse(from) || !/^https?:$/.test(new URL(from).protocol))
    throw new CheckUsageError("Invalid --from: use the mock's base URL, like http://127.0.0.1:4010 (the value is not shown).")
  const owner: Record<string, string> = v.campaign ? { campaign_id: match[1] } : { agent_id: match[1] }
  const adminToken = v['admin-token'] ?? (env.TALKOVER_MOCK_ADMIN_TOKEN || undefined)
  return { mode: 'mock', format, timeout, from, session: v.session, adminToken, body: { ...owner, webhook_id: match[2] } }
}

/** One --header: `Name: value`, a name Node would send and the delivery does not set itself (the API's rule); the value is never echoed. */
function header(raw: string): { key: string; value: string } {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/.exec(raw)
  if (!match || /[\r\n\0]/.test(match[2]))
    throw new CheckUsageError(
      `Invalid --header${match ? ` "${match[1].slice(0, 60)}"` : ''}: use 'Name: value', like --header 'X-Api-Key: …' (the value is not shown).`,
    )
  if (isReservedHeader(match[1]))
    throw new CheckUsageError(
      `Invalid --header "${match[1].slice(0, 60)}": the delivery sets it itself (hop-by-hop, framing and webhook-* headers cannot be custom headers); remove it.`,
    )
  return { key: match[1], value: match[2] }
}

/** How long `--webhook` waits for the mock's health answer before saying it cannot reach it, ms. */
export const REACH_MS = 5000
/** Room for the mock's own work on top of a check's budget, ms. */
const SLACK_MS = 30_000

export interface CheckIo {
  /** Replaces REACH_MS. A test hook. */
  reachMs?: number
  /** Replaces the deadline of the mock's check (its budget plus slack). A test hook. */
  deadlineMs?: number
  /** Real wall-clock ms. */
  wallClock: () => number
  newId: () => string
  /** Replaces the HTTP sender. A test hook. */
  send?: (req: SendRequest) => Promise<SendResult>
}

/**
 * Runs the check a command line asked for: resolves with the report text and the exit status.
 * @example
 * await checkReceiver(parseCheck(argv, env)!, { fetch, wallClock: Date.now, newId }) //=> { status: 0, output: 'Receiver check of …' }
 */
export async function checkReceiver(req: CheckRequest, io: CheckIo): Promise<{ status: 0 | 1 | 2; output: string }> {
  const report = req.mode === 'url' ? await checkHere(req, io) : await askMock(req, io)
  return { status: exitStatus(report), output: formatReport(report, req.format) }
}

async function checkHere(req: Extract<CheckRequest, { mode: 'url' }>, io: CheckIo): Promise<CheckReport> {
  const allowed = checkUrl(req.url, req.allow)
  if (!allowed.ok) {
    if (!URL.canParse(req.url) || !/^https?:$/.test(new URL(req.url).protocol))
      throw new CheckUsageError("Invalid --url: use the receiver's http(s) URL, like http://127.0.0.1:3000/webhooks/talkover (the value is not shown).")
    const url = new URL(req.url)
    const entry = url.port ? `${url.hostname}:${url.port}` : url.hostname
    throw new CheckUsageError(
      `talkover-mock did not contact ${url.hostname}: check-receiver only reaches loopback hosts and the --allow list. To check it, add --allow ${entry}.`,
    )
  }
  const timeout = req.timeout ?? DEFAULT_TIMEOUT_S
  const target: Target = {
    owner: 'agent',
    ownerId: '',
    webhookId: '',
    url: req.url,
    method: req.method,
    secret: req.secret,
    customHeaders: req.headers,
    timeout,
    maxRetries: 0,
    enabled: true,
  }
  return runChecks({ target, url: allowed.url, timeoutMs: timeout * 1000, wallClock: io.wallClock, newId: io.newId, send: io.send })
}

async function askMock(req: Extract<CheckRequest, { mode: 'mock' }>, io: CheckIo): Promise<CheckReport> {
  const query = req.session === undefined ? '' : `?session=${encodeURIComponent(req.session)}`
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (req.adminToken) headers.authorization = `Bearer ${req.adminToken}`
  const body = JSON.stringify({ ...req.body, ...(req.timeout !== undefined && { timeout: req.timeout }) })
  const shown = redactUrl(req.from)
  const reachMs = io.reachMs ?? REACH_MS
  const health = await callMock(`${req.from}/__mock/health`, { method: 'GET', deadlineMs: reachMs })
  if (health.kind !== 'answer') {
    const why = health.kind === 'deadline' ? `no answer to GET /__mock/health within ${reachMs / 1000} s` : health.why
    throw new CheckUsageError(`Failed to reach talkover-mock at ${shown} (${why}). Please start it with --deliver live, or pass its address with --from.`)
  }
  // The longest the mock's check may take: every request at the longest timeout, plus one, plus slack.
  const timeoutS = req.timeout ?? MAX_TIMEOUT_S
  const stub: Target = {
    owner: 'agent',
    ownerId: '',
    webhookId: '',
    url: req.from,
    method: 'POST',
    secret: 'x',
    customHeaders: [],
    timeout: timeoutS,
    maxRetries: 0,
    enabled: true,
  }
  const deadlineMs = io.deadlineMs ?? (requestCount(CHECKS, stub) + 1) * timeoutS * 1000 + SLACK_MS
  const res = await callMock(`${req.from}/__mock/receiver-check${query}`, { method: 'POST', headers, body, deadlineMs })
  if (res.kind === 'deadline')
    throw new CheckUsageError(
      `talkover-mock at ${shown} did not finish the check within ${deadlineMs / 1000} s, longer than the check may take: see the mock's log, or pass a shorter --timeout.`,
    )
  if (res.kind === 'unreachable')
    throw new CheckUsageError(`The connection to talkover-mock at ${shown} failed during the check (${res.why}); see the mock's log and run the check again.`)
  let answer: { message?: string; data?: CheckReport } = {}
  try {
    answer = JSON.parse(res.text)
  } catch {
    // Not the mock answering: say what came back.
  }
  if (res.status !== 200 || !answer.data) throw new CheckUsageError(`The mock answered ${res.status}: ${answer.message ?? res.text.slice(0, 200)}`)
  return answer.data
}
