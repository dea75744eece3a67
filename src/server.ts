// startServer: createApp on a real socket, with a graceful close.
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createApp, type AppOptions } from './app.js'

export interface ServerOptions extends AppOptions {
  /** Port to listen on; default 0 (a free port), which is what tests want. */
  port?: number
  /** Interface to bind; default 127.0.0.1. */
  host?: string
}

export interface RunningServer {
  /** The URL actually bound, e.g. http://127.0.0.1:4010. */
  url: string
  port: number
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>
}

/**
 * Starts the mock on a real HTTP server.
 * @example
 * const server = await startServer({ seed: 42 })
 * await fetch(`${server.url}/__mock/health`)
 * await server.close()
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const app = createApp(options)
  const host = options.host ?? '127.0.0.1'
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s))
    s.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // Keep-alive sockets with no request in flight would hold close() open forever.
        if ('closeIdleConnections' in server) server.closeIdleConnections()
      }),
  }
}
