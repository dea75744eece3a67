// startServer: createApp on a real socket, with a graceful close that is bounded in time.
import { getRequestListener } from '@hono/node-server'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAppFrom, readyOf, socketPartsOf } from './app.js'
import { APP_OPTION_KEYS, type AppOptions } from './app-options.js'
import { resolveAppOptionValues, withHooks, type CreateAppSettings } from './app-settings.js'
import { checkOptionShapes, parseSetting, refuseUnknownOptions } from './config.js'
import { hostPolicy, type HostPolicy } from './http/hosts.js'
import { socketGuard, unreadableAnswer, writeRefusal } from './http/socket-guard.js'
import type { Sleep } from './faults/options.js'

/** How long close() lets in-flight requests run before it cuts their connections, ms. */
export const CLOSE_GRACE_MS = 2000

export interface ServerOptions extends AppOptions {
  /** Port to listen on; default 0 (a free port), which is what tests want. */
  port?: number
  /** Interface to bind; default 127.0.0.1. */
  host?: string
  /**
   * Host names the socket answers besides loopback names, *.localhost, IP addresses and single-label
   * names (docs/security.md): `'mock.internal,.example.com'` (a domain and its subdomains), a list, or `'*'` for any.
   */
  allowedHosts?: string | readonly string[]
}

/** How the server may treat the process it runs in. */
export interface ProcessOptions {
  /**
   * The process is the mock's own (the CLI): @hono/node-server may replace the global Request and
   * Response with its faster ones. Off by default, so a mock inside a test never changes the test's
   * globals (MSW, for one, tells a network error by the global Response).
   */
  ownProcess?: boolean
}

export interface CloseOptions {
  /** How long in-flight requests may still run before their connections are cut, ms. Default 2000. */
  graceMs?: number
}

export interface RunningServer {
  /** The URL actually bound, e.g. http://127.0.0.1:4010. */
  url: string
  port: number
  /**
   * Stops accepting connections, lets in-flight requests finish (injected latency ends at once and
   * the response is sent; an injected hang closes its connection), then closes every connection
   * left — idle keep-alive ones and ones that never sent a request — and resolves. Requests still
   * running after `graceMs` have their connections cut. Live deliveries stop at once: retry waits
   * end and attempts in flight are cut. Calling it again returns the same promise.
   */
  close(options?: CloseOptions): Promise<void>
}

/** Every key of ServerOptions: startServer refuses any other. */
export const SERVER_OPTION_KEYS: readonly string[] = [...APP_OPTION_KEYS, 'port', 'host', 'allowedHosts'] satisfies (keyof ServerOptions)[]

/**
 * The entries of `values` that are startServer options (the CLI's config holds more settings).
 * @example
 * serverOptionsIn({ seed: 42, quiet: true }) //=> { seed: 42 }
 */
export function serverOptionsIn(values: object): ServerOptions {
  return Object.fromEntries(Object.entries(values).filter(([key]) => SERVER_OPTION_KEYS.includes(key)))
}

/**
 * Starts the mock on a real HTTP server. The process's globals are left alone unless
 * `ownProcess` says the process is the mock's own.
 * @example
 * const server = await startServer({ seed: 42 })
 * await fetch(`${server.url}/__mock/health`)
 * await server.close()
 */
export async function startServer(options: ServerOptions = {}, { ownProcess = false }: ProcessOptions = {}): Promise<RunningServer> {
  // Every option is checked once, before anything is built or bound.
  const { askedPort, host, hosts, app: settings } = resolveServerOptions(options)
  const waits = interruptibleWaits(settings.hooks.sleep)
  // close() cancels live deliveries too: their retry timers and attempts in flight.
  const stopping = new AbortController()
  const signal = settings.hooks.signal ? AbortSignal.any([settings.hooks.signal, stopping.signal]) : stopping.signal
  const app = createAppFrom(withHooks(settings, { signal, sleep: waits.sleep }))
  // @hono/node-server's listener, behind the socket's guards (a Host or a page's origin the mock
  // was not told about, an oversize body: http/socket-guard.ts) and the answer cache: a repeated
  // pure page is written by node:http alone (http/answer-cache.ts), everything else goes to the app.
  // In-process use (app.request, app.fetch) never passes the guards: they belong to the socket.
  const { answers, cors, constant, log, store } = socketPartsOf(app)!
  // With a Valkey/Redis store: connected and caught up with the fleet before the first request.
  try {
    await readyOf(app)
  } catch (error) {
    stopping.abort()
    await store.close().catch(() => {})
    throw error
  }
  const listener = getRequestListener(app.fetch, {
    hostname: host,
    errorHandler: unreadableAnswer(constant),
    overrideGlobalObjects: ownProcess,
  })
  const refusal = socketGuard({ hosts, cors })
  const server: Server = createServer((req, res) => {
    const refused = refusal(req)
    if (refused) {
      writeRefusal(res, refused, constant)
      log?.(`${req.method} ${req.url} ${refused.status} refused`)
    } else if (!answers.serve(req, res)) void listener(req, res)
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(askedPort, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    // The port is taken (or the interface is not this machine's): nothing is served, so let go of what was built.
    stopping.abort()
    await store.close().catch(() => {})
    throw error
  }
  const inFlight = countRequests(server)
  const { port } = server.address() as AddressInfo
  const shownHost = host.includes(':') ? `[${host}]` : host
  let closed: Promise<void> | undefined
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: ({ graceMs = CLOSE_GRACE_MS }: CloseOptions = {}) =>
      (closed ??= new Promise<void>((resolve, reject) => {
        // Resolves once the last connection is gone; until then nothing new is accepted.
        server.close((error) => (error ? reject(error) : store.close().then(resolve, resolve)))
        waits.interruptAll()
        stopping.abort()
        // A keep-alive socket with no request on it (idle, or freshly opened and silent) would
        // hold close() open until Node's request timeouts; once no request is left, cut them all.
        const timer = setTimeout(cutAll, graceMs)
        function cutAll() {
          clearTimeout(timer)
          server.closeAllConnections()
        }
        inFlight.whenNone(cutAll)
      })),
  }
}

/** startServer's options, resolved once: its own (port, host, allowed hosts), then createApp's. */
function resolveServerOptions(options: ServerOptions): { askedPort: number; host: string; hosts: HostPolicy; app: CreateAppSettings } {
  checkOptionShapes(options, 'startServer')
  refuseUnknownOptions(options, SERVER_OPTION_KEYS, 'startServer')
  const { port, host: givenHost, allowedHosts, ...appOptions } = options
  // With the CLI's rules and messages, but the library's defaults: a free port on loopback.
  const askedPort = port === undefined ? 0 : parseSetting('port', port, 'port')
  const host = givenHost === undefined ? '127.0.0.1' : parseSetting('host', givenHost, 'host')
  const hosts = hostPolicy(parseSetting('allowedHosts', Array.isArray(allowedHosts) ? allowedHosts.join(',') : allowedHosts, 'allowedHosts') ?? '')
  return { askedPort, host, hosts, app: resolveAppOptionValues(appOptions) }
}

/** Counts requests whose response has not closed yet, and calls back when none are left. */
function countRequests(server: Server) {
  let count = 0
  let onNone: (() => void) | undefined
  server.on('request', (_request, response) => {
    count++
    response.once('close', () => {
      if (--count === 0) onNone?.()
    })
  })
  return {
    whenNone(callback: () => void) {
      onNone = callback
      if (count === 0) callback()
    },
  }
}

/**
 * Wraps the fault layer's sleep so close() can end every injected wait at once: a delayed
 * response is sent straight away and a hang closes its connection, as when its time is up.
 */
function interruptibleWaits(sleep: Sleep) {
  const waits = new Set<AbortController>()
  let interrupted = false
  return {
    sleep: (async (ms, signal) => {
      if (interrupted || signal?.aborted) return
      const wait = new AbortController()
      const abort = () => wait.abort()
      signal?.addEventListener('abort', abort, { once: true })
      waits.add(wait)
      try {
        await sleep(ms, wait.signal)
      } finally {
        waits.delete(wait)
        signal?.removeEventListener('abort', abort)
      }
    }) satisfies Sleep,
    interruptAll() {
      interrupted = true
      for (const wait of waits) wait.abort()
    },
  }
}
