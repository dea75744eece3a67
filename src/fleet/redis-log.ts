// The fleet's side of Valkey/Redis: the connections of one replica (commands, a blocking reader of
// the log of writes, a subscriber) and the commands it sends: the ordered log of writes, the
// fleet-wide request counter, heartbeats and acknowledgements, the shared journal and the delivery
// lease. The keys and the Lua scripts that must run whole are in scripts.ts.
import type { Redis } from 'ioredis'
import { COMMIT, COMMIT_RESET, FILL_BODIES, FORGET_SESSION, KEY, READ_JOURNAL, RESET, SEAL, SETTINGS, STAGE } from './scripts.js'
import { shownStoreUrl } from './store-url.js'

/** How often a replica says it is alive, and after how long without it the others stop waiting for it, ms. */
export const HEARTBEAT_MS = 1000
/** How long connecting at start may take, and a command, before the store counts as away, ms. */
export const CONNECT_TIMEOUT_MS = 5000
export const COMMAND_TIMEOUT_MS = 3000
export const REPLICA_TTL_MS = 3500
/** After how long without a heartbeat a replica is forgotten altogether, ms. */
export const FORGET_REPLICA_MS = 10 * 60_000

/** The keys the journal's scripts take, in their order. */
const JOURNAL_KEYS = [KEY.seq, KEY.journal, KEY.k, KEY.bodies, KEY.refs, KEY.stage, KEY.journalBytes, KEY.stageBytes, KEY.answers, KEY.written, KEY.epoch]

/** One request for the fleet's journal: `body` empty when the store is believed to have it (or there is none, `ref` empty). */
export interface JournalLine {
  /** When it was answered: wall time in ms, to the microsecond (the order lines are sealed in). */
  at: string
  /** Unique in the fleet, ordered within a replica. */
  id: string
  counted: boolean
  session: string
  /** The digest of the shown answer's body, or empty. */
  ref: string
  body: string
  /** What the entry weighs against the journal's byte budget. */
  weight: number
  /** Bytes its answer's body took in the replica's answer ring, or '' when it has no answer. */
  answerBytes: string
  /** The line as GET /__mock/requests shows it, its answer without a body. */
  json: string
}

/** The bounds one process's journal keeps (admin/entry-bounds.ts), which the fleet's keeps alike. */
export interface JournalBounds {
  capacity: number
  /** JOURNAL_BYTES: what the entries may weigh together. */
  maxBytes: number
  /** The answer ring's size, and the most one body takes in it. */
  ringSize: number
  bodyMax: number
}

/** One journal line as read back: its answer's body undefined when it had none, null when the store lacks it. */
export interface StoredLine {
  seq: number
  /** The fleet-wide k, or '' when not counted. */
  k: string
  /** What the entry weighed where it was answered. */
  weight: number
  json: string
  body?: string | null
}

/** One write of the log as read back. */
export interface LogEntry {
  id: string
  /** The JSON the writer appended. */
  json: string
  /** The fleet's request count before it. */
  k0: number
}

/** Thrown when the store cannot be reached or refuses; the message names it without its password. */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable'
}

export interface RedisLogOptions {
  url: string
  /** This replica's id. */
  replica: string
  /** Real wall time, ms (heartbeats and liveness compare it across machines). */
  wallClock: () => number
  /** Called with every batch of new writes, in log order (also this replica's own). */
  onEntries: (entries: LogEntry[]) => Promise<void>
  /** Called with every acknowledgement another replica publishes. */
  onAck: (replica: string, what: string) => void
  /** Called when another replica asks everyone to flush (a barrier); the replica acknowledges when done. */
  onSync: (nonce: string) => void
  log?: (line: string) => void
}

/**
 * The connections of one replica: commands, a blocking reader of the log, and a subscriber.
 * @example
 * const log = createRedisLog({ url: 'redis://127.0.0.1:6379', replica: 'r1', wallClock: Date.now, onEntries, onAck, onSync })
 * await log.start()
 */
export function createRedisLog(options: RedisLogOptions) {
  const { replica, wallClock } = options
  const shown = shownStoreUrl(options.url)
  // No offline queue: a write while the store is away fails at once (503) instead of waiting.
  // A store that stops answering (stalled, partitioned) fails a command after COMMAND_TIMEOUT_MS
  // instead of holding the request: the write answers 503.
  const common = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  }
  // Made by connect(): ioredis is loaded only when a store is used, never by the memory default.
  let commands!: Redis
  let reader!: Redis
  let subscriber!: Redis
  let last = '0-0'
  let stopped = false
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let reading: Promise<void> | undefined

  const down = (error: unknown) => new StoreUnavailable(`The state store ${shown} cannot be reached (${why(error)})`)
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      throw down(error)
    }
  }

  async function readLoop(): Promise<void> {
    while (!stopped) {
      try {
        const reply = (await reader.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', KEY.ops, last)) as [string, [string, string[]][]][] | null
        if (!reply) continue
        const entries = reply[0][1].map(([id, fields]) => toEntry(id, fields))
        last = entries[entries.length - 1].id
        await options.onEntries(entries)
      } catch (error) {
        if (stopped) return
        options.log?.(`talkover-mock: reading the log from ${shown} failed (${(error as Error).message}); retrying`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }

  // Says this replica is alive, and forgets replicas silent for long (killed without a goodbye):
  // long enough that a replica whose clock runs minutes ahead forgets no live one.
  const beat = () => {
    const now = wallClock()
    void commands.zadd(KEY.replicas, now, replica).catch(() => {})
    void commands.zremrangebyscore(KEY.replicas, '-inf', `(${now - FORGET_REPLICA_MS}`).catch(() => {})
  }

  return {
    shown,
    /** Connects, fails with StoreUnavailable when the store does not answer. */
    async connect(): Promise<void> {
      const { Redis } = await import('ioredis')
      // A command the store may have run when the connection dropped is never sent again after the
      // reconnect: a write would be appended twice (the caller answers 503 "may have been made").
      commands = new Redis(options.url, { ...common, autoResendUnfulfilledCommands: false, connectionName: `talkover-mock:${replica}` })
      // The reader blocks up to a second per read: its timeout is longer.
      reader = new Redis(options.url, {
        ...common,
        connectionName: `talkover-mock:${replica}:reader`,
        maxRetriesPerRequest: null,
        commandTimeout: COMMAND_TIMEOUT_MS + 2000,
      })
      subscriber = new Redis(options.url, { ...common, connectionName: `talkover-mock:${replica}:subscriber` })
      for (const connection of [commands, reader, subscriber]) connection.on('error', () => {})
      // One line when the store goes away and one when it is back: writes answer 503 meanwhile.
      let away = false
      commands.on('close', () => {
        if (away || stopped) return
        away = true
        options.log?.(`talkover-mock: the state store ${shown} is away: writes answer 503 until it is back; pure reads go on`)
      })
      commands.on('ready', () => {
        if (!away) return
        away = false
        options.log?.(`talkover-mock: the state store ${shown} is back`)
      })
      try {
        // A store that accepts the connection and never answers must not hold the start forever.
        let timer: ReturnType<typeof setTimeout> | undefined
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS)
        })
        try {
          await Promise.race([Promise.all([commands.connect(), reader.connect(), subscriber.connect()]).then(() => commands.ping()), late])
        } finally {
          clearTimeout(timer)
        }
      } catch (error) {
        for (const connection of [commands, reader, subscriber]) connection.disconnect()
        throw down(error)
      }
    },
    /** The instant the fleet's clocks started (the first replica's), epoch ms. */
    origin: (now: number) => call(async () => Number(await commands.set(KEY.origin, String(now), 'NX', 'GET').then((old) => old ?? String(now)))),
    /** Joins `fingerprint` to the fleet's settings: the number of live replicas running other settings (0 when it joined). */
    async joinSettings(fingerprint: string): Promise<number> {
      const [current, live] = (await call(() => commands.eval(SETTINGS, 2, KEY.settings, KEY.replicas, fingerprint, String(wallClock() - REPLICA_TTL_MS)))) as [
        string,
        number,
      ]
      return current === fingerprint ? 0 : live
    },
    /** The fleet's run id (live delivery ids), the first replica's. */
    runId: (mine: string) => call(async () => (await commands.set(KEY.run, mine, 'NX', 'GET')) ?? mine),
    /** Every write so far, in order (a replica catching up at start). */
    async history(): Promise<LogEntry[]> {
      const out: LogEntry[] = []
      let from = '-'
      for (;;) {
        const page = (await call(() => commands.xrange(KEY.ops, from, '+', 'COUNT', 1000))) as [string, string[]][]
        for (const [id, fields] of page) out.push(toEntry(id, fields))
        if (page.length < 1000) break
        from = `(${page[page.length - 1][0]}`
      }
      return out
    },
    /** Starts reading the log after `after`, heartbeats and the subscriptions. */
    async start(after: string): Promise<void> {
      last = after
      subscriber.on('message', (channel: string, message: string) => {
        const space = message.indexOf(' ')
        const from = message.slice(0, space)
        const what = message.slice(space + 1)
        if (channel === KEY.acks && from !== replica) options.onAck(from, what)
        if (channel === KEY.sync) options.onSync(what)
      })
      await call(() => subscriber.subscribe(KEY.acks, KEY.sync))
      beat()
      heartbeat = setInterval(beat, HEARTBEAT_MS)
      heartbeat.unref()
      reading = readLoop()
    },
    /** Appends a write (refused by a full store unless it is a global reset); returns its id and the other replicas alive now. */
    async commit(json: string, counts: boolean, reset = false): Promise<{ id: string; live: string[] }> {
      const [id, live] = (await call(() =>
        commands.eval(reset ? COMMIT_RESET : COMMIT, 3, KEY.ops, KEY.k, KEY.replicas, json, counts ? '1' : '0', String(wallClock() - REPLICA_TTL_MS)),
      )) as [string, string[]]
      return { id, live: live.filter((r) => r !== replica) }
    },
    /** After the global reset `id` was made: the count and journal afresh, the log before it dropped. */
    reset: (id: string) =>
      call(() => commands.eval(RESET, JOURNAL_KEYS.length + 1, KEY.ops, KEY.k, ...JOURNAL_KEYS.filter((key) => key !== KEY.k), id)).then(() => {}),
    /** The other replicas alive now. */
    async live(): Promise<string[]> {
      const all = await call(() => commands.zrangebyscore(KEY.replicas, wallClock() - REPLICA_TTL_MS, '+inf'))
      return all.filter((r) => r !== replica)
    },
    /** Tells the others this replica has applied the log through `what` (or finished barrier `what`). */
    ack: (what: string) =>
      commands.publish(KEY.acks, `${replica} ${what}`).then(
        () => {},
        () => {},
      ),
    /** Asks every replica to flush what it has not yet written to the store. */
    sync: (nonce: string) => call(() => commands.publish(KEY.sync, `${replica} ${nonce}`)),
    /**
     * Stages requests, oldest first, after `skipped` older ones (`skippedCounted` of them counted)
     * the replica left out; refused when `epoch` (the last global reset the replica applied) is older
     * than the store's ('stale'), held back when newer ('hold': the reset's store part is still to
     * come); otherwise 'staged' and the refs of lines whose body the store lacks (send them with fillBodies).
     */
    stage: async (
      lines: JournalLine[],
      bounds: JournalBounds,
      epoch: string,
      skipped: number,
      skippedCounted: number,
    ): Promise<{ outcome: 'staged' | 'stale' | 'hold'; missing: string[] }> => {
      const [outcome, ...missing] = (await call(() =>
        commands.eval(
          STAGE,
          JOURNAL_KEYS.length,
          ...JOURNAL_KEYS,
          String(bounds.capacity),
          String(skipped),
          String(skippedCounted),
          epoch,
          String(bounds.maxBytes),
          ...lines.flatMap((l) => [l.at, l.id, l.counted ? '1' : '0', l.session, l.ref, l.body, String(l.weight), l.answerBytes, l.json]),
        ),
      )) as ['staged' | 'stale' | 'hold', ...string[]]
      return { outcome, missing }
    },
    /** Seals every staged line into the journal, in the order they were answered (after a barrier). */
    seal: (bounds: JournalBounds) =>
      call(() =>
        commands.eval(
          SEAL,
          JOURNAL_KEYS.length,
          ...JOURNAL_KEYS,
          String(bounds.capacity),
          String(bounds.maxBytes),
          String(bounds.ringSize),
          String(Math.min(bounds.bodyMax, bounds.ringSize)),
        ),
      ).then(() => {}),
    /** Stores the bodies of `refs` the store lacked, those some line still references. */
    fillBodies: (bodies: [ref: string, body: string][]) => call(() => commands.eval(FILL_BODIES, 2, KEY.bodies, KEY.refs, ...bodies.flat())).then(() => {}),
    /** The journal, newest first (at most `limit` lines), each line's body read at the same instant. */
    async journalEntries(ringSize: number, limit = Number.POSITIVE_INFINITY): Promise<StoredLine[]> {
      const [lines, bodies] = (await call(() =>
        commands.eval(READ_JOURNAL, JOURNAL_KEYS.length, ...JOURNAL_KEYS, String(Number.isFinite(limit) ? limit - 1 : -1), String(ringSize)),
      )) as [string[], string[]]
      return lines.map((line, i) => {
        const bars: number[] = []
        for (let at = line.indexOf('|'); bars.length < 6; at = line.indexOf('|', at + 1)) bars.push(at)
        const entry: StoredLine = {
          seq: Number(line.slice(0, bars[0])),
          k: line.slice(bars[0] + 1, bars[1]),
          weight: Number(line.slice(bars[3] + 1, bars[4])),
          json: line.slice(bars[5] + 1),
        }
        // A line with a body the store no longer keeps reads as dropped (null), one without a body as undefined.
        if (bars[2] > bars[1] + 1) entry.body = bodies[i] === '' ? null : bodies[i]
        return entry
      })
    },
    /** Drops one session's journal lines (and the bodies only they referenced). */
    forgetJournal: (session: string) => call(() => commands.eval(FORGET_SESSION, JOURNAL_KEYS.length, ...JOURNAL_KEYS, session)),
    /** Tries to take or keep the delivery lease for `ms`; true while this replica holds it. */
    async lease(ms: number): Promise<boolean> {
      const held = await commands.get(KEY.lease).catch(() => null)
      if (held === replica) return (await commands.pexpire(KEY.lease, ms).catch(() => 0)) === 1
      return (await commands.set(KEY.lease, replica, 'PX', ms, 'NX').catch(() => null)) === 'OK'
    },
    /** True while connected. */
    up: () => commands?.status === 'ready',
    async close(): Promise<void> {
      stopped = true
      if (heartbeat) clearInterval(heartbeat)
      if (!commands) return
      // Never held up by a store that does not answer (or refuses the password): at most a second.
      await Promise.race([goodbye(), new Promise((resolve) => setTimeout(resolve, 1000).unref())])
      for (const connection of [commands, reader, subscriber]) connection.disconnect()
    },
  }

  /** Leaves the fleet politely: off the replicas' list, the lease let go. */
  async function goodbye(): Promise<void> {
    await commands.zrem(KEY.replicas, replica).catch(() => {})
    if ((await commands.get(KEY.lease).catch(() => null)) === replica) await commands.del(KEY.lease).catch(() => {})
    reader.disconnect()
    await reading
  }
}

export type RedisLog = ReturnType<typeof createRedisLog>

/** A store error in a few words, without any URL (it may carry a password). */
function why(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(text)) return 'it refused the user or password of the URL'
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'its host name is unknown'
  if (/ECONNREFUSED/.test(text)) return 'nothing listens at that address and port'
  if (/writeable|Connection is closed|ECONNRESET|EPIPE/i.test(text)) return 'the connection is lost'
  if (/timed out/i.test(text)) return `it did not answer within ${COMMAND_TIMEOUT_MS / 1000} s`
  if (/^OOM/.test(text)) return 'it is full: maxmemory reached with noeviction; a global POST /__mock/reset frees it'
  return text.replace(/rediss?:\/\/\S*/g, 'the store').slice(0, 200)
}

function toEntry(id: string, fields: string[]): LogEntry {
  const entry: LogEntry = { id, json: '', k0: 0 }
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'e') entry.json = fields[i + 1]
    if (fields[i] === 'k') entry.k0 = Number(fields[i + 1])
  }
  return entry
}

/**
 * Orders two stream ids (`ms-seq`).
 * @example
 * compareIds('10-2', '9-5') //=> 1
 */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number)
  const [bm, bs] = b.split('-').map(Number)
  return am !== bm ? Math.sign(am - bm) : Math.sign(as - bs)
}
