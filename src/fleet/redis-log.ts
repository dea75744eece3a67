// The fleet's side of Valkey/Redis: one ordered log of writes (a stream), the fleet-wide request
// counter, the replicas' heartbeats and acknowledgements, the shared journal and the delivery
// lease. Every key starts with `talkover-mock:`, so the mock can share a database with nothing
// else of its own. The commands that must be atomic are Lua scripts: Redis runs each whole.
import type { Redis } from 'ioredis'
import { shownStoreUrl } from './store-url.js'

/** Keys of one fleet. */
const KEY = {
  ops: 'talkover-mock:ops',
  k: 'talkover-mock:k',
  seq: 'talkover-mock:journal-seq',
  journal: 'talkover-mock:journal',
  replicas: 'talkover-mock:replicas',
  settings: 'talkover-mock:settings',
  origin: 'talkover-mock:origin',
  run: 'talkover-mock:run',
  lease: 'talkover-mock:delivery-lease',
  acks: 'talkover-mock:acks',
  sync: 'talkover-mock:sync',
}

/** How often a replica says it is alive, and after how long without it the others stop waiting for it, ms. */
export const HEARTBEAT_MS = 1000
/** How long connecting at start may take, and a command, before the store counts as away, ms. */
export const CONNECT_TIMEOUT_MS = 5000
export const COMMAND_TIMEOUT_MS = 3000
export const REPLICA_TTL_MS = 3500

// Appends a write: reads the fleet's request count before it (k0), counts the write itself when it
// is an API request without a session, and returns its id and the replicas alive now. Allowed
// when the store is full (noeviction): a global reset must still get through to free it.
const COMMIT = `#!lua flags=allow-oom
local k0 = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[2] == '1' then redis.call('INCR', KEYS[2]) end
local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[1], 'k', tostring(k0))
local live = redis.call('ZRANGEBYSCORE', KEYS[3], ARGV[3], '+inf')
return {id, live}
`

// After a global reset was made (answered 200): the count and the journal start afresh and the
// log before the reset goes (a replica joining later starts from the reset).
const RESET = `#!lua flags=allow-oom
redis.call('DEL', KEYS[3], KEYS[4])
redis.call('SET', KEYS[2], '0')
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
return 1
`

// Counts and journals a batch of requests, oldest first: ARGV[1] is the journal's capacity,
// ARGV[2] how many older lines of the batch were left out (they still take a seq), ARGV[3] how
// many of those were counted; then one (counted, session, json) triple per line. A counted
// request takes the fleet's next k; every line the next seq. A line is `seq|k|session|json`.
const JOURNAL = `
local seq = redis.call('INCRBY', KEYS[1], tonumber(ARGV[2]))
local k = redis.call('INCRBY', KEYS[3], tonumber(ARGV[3]))
for i = 4, #ARGV, 3 do
  seq = seq + 1
  local kept = ''
  if ARGV[i] == '1' then
    k = k + 1
    kept = tostring(k)
  end
  redis.call('LPUSH', KEYS[2], seq .. '|' .. kept .. '|' .. ARGV[i + 1] .. '|' .. ARGV[i + 2])
end
redis.call('SET', KEYS[1], seq)
redis.call('SET', KEYS[3], k)
local cap = tonumber(ARGV[1])
if cap == 0 then redis.call('DEL', KEYS[2]) else redis.call('LTRIM', KEYS[2], 0, cap - 1) end
return seq
`

// Forgets one session's journal lines (a session reset): those whose session column is ARGV[1].
const FORGET_SESSION = `#!lua flags=allow-oom
local all = redis.call('LRANGE', KEYS[1], 0, -1)
local mark = '|' .. ARGV[1] .. '|'
redis.call('DEL', KEYS[1])
for i = #all, 1, -1 do
  local a = string.find(all[i], '|', 1, true)
  local b = string.find(all[i], '|', a + 1, true)
  local c = string.find(all[i], '|', b + 1, true)
  if string.sub(all[i], b, c) ~= mark then redis.call('LPUSH', KEYS[1], all[i]) end
end
return #all
`

// Joins a replica's settings to the fleet's: the first replica's (or, when no replica is alive,
// the newcomer's) are the fleet's; a replica with other settings while others run gets theirs back.
const SETTINGS = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then
  local live = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[2], '+inf')
  if #live > 0 then return {current, #live} end
end
redis.call('SET', KEYS[1], ARGV[1])
return {ARGV[1], 0}
`

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

  const beat = () => void commands.zadd(KEY.replicas, wallClock(), replica).catch(() => {})

  return {
    shown,
    /** Connects, fails with StoreUnavailable when the store does not answer. */
    async connect(): Promise<void> {
      const { Redis } = await import('ioredis')
      commands = new Redis(options.url, { ...common, connectionName: `talkover-mock:${replica}` })
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
    /** Appends a write; returns its id and the other replicas alive now. */
    async commit(json: string, counts: boolean): Promise<{ id: string; live: string[] }> {
      const [id, live] = (await call(() =>
        commands.eval(COMMIT, 3, KEY.ops, KEY.k, KEY.replicas, json, counts ? '1' : '0', String(wallClock() - REPLICA_TTL_MS)),
      )) as [string, string[]]
      return { id, live: live.filter((r) => r !== replica) }
    },
    /** After the global reset `id` was made: the count and journal afresh, the log before it dropped. */
    reset: (id: string) => call(() => commands.eval(RESET, 4, KEY.ops, KEY.k, KEY.journal, KEY.seq, id)).then(() => {}),
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
    /** Counts and journals requests, oldest first: [counted '1'/'0', session or '', json] each, after `skipped` older ones (`skippedCounted` of them counted). */
    journal: (lines: [string, string, string][], capacity: number, skipped: number, skippedCounted: number) =>
      call(() => commands.eval(JOURNAL, 3, KEY.seq, KEY.journal, KEY.k, String(capacity), String(skipped), String(skippedCounted), ...lines.flat())).then(
        () => {},
      ),
    /** The journal, newest first (at most `limit` lines): [seq, k (or ''), json] each. */
    async journalEntries(limit = Number.POSITIVE_INFINITY): Promise<[number, string, string][]> {
      const all = await call(() => commands.lrange(KEY.journal, 0, Number.isFinite(limit) ? limit - 1 : -1))
      return all.map((line) => {
        const a = line.indexOf('|')
        const b = line.indexOf('|', a + 1)
        const c = line.indexOf('|', b + 1)
        return [Number(line.slice(0, a)), line.slice(a + 1, b), line.slice(c + 1)]
      })
    },
    /** Drops one session's journal lines. */
    forgetJournal: (session: string) => call(() => commands.eval(FORGET_SESSION, 1, KEY.journal, session)),
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
