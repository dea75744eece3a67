// The fleet's keys in Valkey/Redis and the Lua scripts that must run whole (Redis runs each script
// atomically). Every key starts with `talkover-mock:`, so the mock can share a database with
// nothing else of its own. Text only: redis-log.ts sends them.

/** Keys of one fleet. */
export const KEY = {
  ops: 'talkover-mock:ops',
  k: 'talkover-mock:k',
  seq: 'talkover-mock:journal-seq',
  /** The sealed journal, newest first (its own key per line format: an earlier version's lines are never read). */
  journal: 'talkover-mock:journal-lines',
  /** Journal lines flushed by replicas and not yet sealed: ordered by the instant each request was answered. */
  stage: 'talkover-mock:journal-stage',
  /** What the journal's and the stage's lines weigh (admin/entry-bounds.ts entryBytes), against JOURNAL_BYTES each. */
  journalBytes: 'talkover-mock:journal-bytes',
  stageBytes: 'talkover-mock:journal-stage-bytes',
  /** `seq|at|ref` of sealed lines whose body is still kept, oldest last: one process's 4 MiB answer ring, played over. */
  answers: 'talkover-mock:journal-answers',
  /** Bytes ever written to that ring (the next body's position). */
  written: 'talkover-mock:journal-written',
  /** The log id of the last global reset made: lines staged by a replica that had not applied it are dropped. */
  epoch: 'talkover-mock:journal-epoch',
  /** Answer bodies of journal lines, one per distinct body (its digest → its text). */
  bodies: 'talkover-mock:journal-bodies',
  /** How many journal lines reference each body: a body goes with the last line that references it. */
  refs: 'talkover-mock:journal-refs',
  replicas: 'talkover-mock:replicas',
  settings: 'talkover-mock:settings',
  origin: 'talkover-mock:origin',
  run: 'talkover-mock:run',
  lease: 'talkover-mock:delivery-lease',
  acks: 'talkover-mock:acks',
  sync: 'talkover-mock:sync',
}

// Appends a write: reads the fleet's request count before it (k0), counts the write itself when it
// is an API request without a session, and returns its id and the replicas alive now. Refused when
// the store is full (maxmemory with noeviction): the write answers 503 and is made nowhere.
const APPEND = `
local k0 = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[2] == '1' then redis.call('INCR', KEYS[2]) end
local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[1], 'k', tostring(k0))
local live = redis.call('ZRANGEBYSCORE', KEYS[3], ARGV[3], '+inf')
return {id, live}
`
export const COMMIT = `#!lua${APPEND}`

// The same for a global reset: allowed when the store is full, since the reset is what frees it.
export const COMMIT_RESET = `#!lua flags=allow-oom${APPEND}`

// After a global reset was made (answered 200): the count and the journal (its bodies too) start
// afresh, the log before the reset goes (a replica joining later starts from the reset), and lines
// staged later by a replica that had not applied it yet are refused (the epoch). The answer ring
// goes on where it was, as one process's does. Made once: a reset already made is not made again
// (its origin sends it again after a blip; a replica holding lines may make it when the origin died). KEYS: ops, k, then JOURNAL_KEYS but k (the ring's
// position and the epoch last); ARGV[1] the reset's log id.
export const RESET = `#!lua flags=allow-oom
if redis.call('GET', KEYS[#KEYS]) == ARGV[1] then return 0 end
for i = 3, #KEYS - 2 do redis.call('DEL', KEYS[i]) end
redis.call('SET', KEYS[2], '0')
redis.call('SET', KEYS[#KEYS], ARGV[1])
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
return 1
`

// The journal scripts take KEYS (JOURNAL_KEYS in redis-log.ts): 1 seq, 2 journal, 3 k, 4 bodies,
// 5 refs, 6 stage, 7 journal bytes, 8 stage bytes, 9 answers, 10 written, 11 epoch.
// A staged line is `id|counted|ref|session|w|len|json`, a journal line `seq|k|ref|session|w|at|json`:
// ref is the digest of its answer's body (or empty), whose text is in the bodies hash while a staged
// line or an entry of the answers list references it (refs counts them); w is what the entry weighs;
// len the bytes its answer's body took in the replica's ring ('' when it has no answer), at where
// that body sits in the fleet's ring. FIELD reads one field; RELEASE lets one reference go.
const HELPERS = `
local function field(line, n)
  local from = 1
  for _ = 2, n do from = string.find(line, '|', from, true) + 1 end
  local to = string.find(line, '|', from, true)
  return string.sub(line, from, (to or 0) - 1)
end
local function rest(line, n)
  local from = 1
  for _ = 1, n do from = string.find(line, '|', from, true) + 1 end
  return string.sub(line, from)
end
local function release(ref)
  if ref ~= '' and redis.call('HINCRBY', KEYS[5], ref, -1) <= 0 then
    redis.call('HDEL', KEYS[5], ref)
    redis.call('HDEL', KEYS[4], ref)
  end
end
local function older(a, b)
  if a == b or a == '' and b == '' then return false end
  if a == '' then return true end
  if b == '' then return false end
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  if tonumber(am) ~= tonumber(bm) then return tonumber(am) < tonumber(bm) end
  return tonumber(as) < tonumber(bs)
end
`

// Stages a replica's lines, oldest first. ARGV: 1 the journal's capacity, 2 how many older lines
// the replica left out (they still take a seq), 3 how many of those were counted, 4 the replica's
// epoch (the last global reset it applied), 5 JOURNAL_BYTES; then (instant, id, counted, session,
// ref, body, w, len, json) per line, body empty when the replica believes the store has it. Lines
// of an epoch older than the store's are refused, 'stale' (they were answered before a reset);
// lines of a newer one wait, 'hold' (answered after a reset whose store part is still to come).
// The stage keeps the newest `capacity` lines within JOURNAL_BYTES: older ones take their seq and k
// now and go. Returns 'staged' and the refs of staged lines whose body the store lacks (another
// replica's reset emptied it): the replica sends those with FILL_BODIES.
export const STAGE = `${HELPERS}
local current = redis.call('GET', KEYS[11]) or ''
if older(ARGV[4], current) then return {'stale'} end
if older(current, ARGV[4]) then return {'hold'} end
redis.call('INCRBY', KEYS[1], tonumber(ARGV[2]))
redis.call('INCRBY', KEYS[3], tonumber(ARGV[3]))
local bytes = tonumber(redis.call('GET', KEYS[8]) or '0')
local missing = {}
for i = 6, #ARGV, 9 do
  local ref = ARGV[i + 4]
  if ref ~= '' then
    redis.call('HINCRBY', KEYS[5], ref, 1)
    if ARGV[i + 5] ~= '' then
      redis.call('HSET', KEYS[4], ref, ARGV[i + 5])
    elseif redis.call('HEXISTS', KEYS[4], ref) == 0 then
      missing[ref] = true
    end
  end
  bytes = bytes + tonumber(ARGV[i + 6])
  redis.call('ZADD', KEYS[6], ARGV[i], table.concat({ARGV[i + 1], ARGV[i + 2], ref, ARGV[i + 3], ARGV[i + 6], ARGV[i + 7], ARGV[i + 8]}, '|'))
end
local cap = tonumber(ARGV[1])
local max = tonumber(ARGV[5])
local n = redis.call('ZCARD', KEYS[6])
while n > cap or (bytes > max and n > 1) do
  local line = redis.call('ZPOPMIN', KEYS[6])[1]
  n = n - 1
  redis.call('INCR', KEYS[1])
  if field(line, 2) == '1' then redis.call('INCR', KEYS[3]) end
  bytes = bytes - tonumber(field(line, 5))
  release(field(line, 3))
end
redis.call('SET', KEYS[8], bytes)
local out = {'staged'}
for ref in pairs(missing) do
  if redis.call('HEXISTS', KEYS[5], ref) == 1 then out[#out + 1] = ref end
end
return out
`

// Seals the staged lines into the journal, in the order they were answered: each takes the next
// seq, a counted one the fleet's next k, one with an answer its place in the fleet's answer ring
// (written as one process writes its ring: a body that would not fit before the end starts at the
// beginning). The journal keeps the newest `capacity` lines within JOURNAL_BYTES; a body is kept
// while its line is and newer bodies have not gone once round the ring past it, as in one process.
// ARGV: 1 capacity, 2 JOURNAL_BYTES, 3 the ring's size, 4 the most one body takes in it. Run after
// every replica flushed (a barrier), so the fleet's count and journal are exact.
export const SEAL = `${HELPERS}
local staged = redis.call('ZRANGE', KEYS[6], 0, -1)
redis.call('DEL', KEYS[6], KEYS[8])
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local k = tonumber(redis.call('GET', KEYS[3]) or '0')
local bytes = tonumber(redis.call('GET', KEYS[7]) or '0')
local written = tonumber(redis.call('GET', KEYS[10]) or '0')
local size = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
for _, line in ipairs(staged) do
  seq = seq + 1
  local kept = ''
  if field(line, 2) == '1' then
    k = k + 1
    kept = tostring(k)
  end
  local ref = field(line, 3)
  local len = field(line, 6)
  local at = ''
  if len ~= '' then
    if (written % size) + want > size then written = written + size - (written % size) end
    at = tostring(written)
    written = written + tonumber(len)
  end
  if ref ~= '' then redis.call('LPUSH', KEYS[9], seq .. '|' .. at .. '|' .. ref) end
  bytes = bytes + tonumber(field(line, 5))
  redis.call('LPUSH', KEYS[2], table.concat({seq, kept, ref, field(line, 4), field(line, 5), at, rest(line, 6)}, '|'))
end
local cap = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local n = redis.call('LLEN', KEYS[2])
local trimmed = 0
while n > cap or (bytes > max and n > 1) do
  local line = redis.call('RPOP', KEYS[2])
  n = n - 1
  bytes = bytes - tonumber(field(line, 5))
  trimmed = tonumber(field(line, 1))
end
-- Bodies go with their lines (those through seq trimmed), and once newer bodies went once round the ring past them.
while true do
  local last = redis.call('LINDEX', KEYS[9], -1)
  if not last then break end
  local s, a = tonumber(field(last, 1)), tonumber(field(last, 2))
  if s > trimmed and written - a <= size then break end
  redis.call('RPOP', KEYS[9])
  release(field(last, 3))
end
redis.call('SET', KEYS[1], seq)
redis.call('SET', KEYS[3], k)
redis.call('SET', KEYS[7], bytes)
redis.call('SET', KEYS[10], written)
return #staged
`

// Stores bodies the store lacked, as (ref, body) pairs: only those some journal line still references.
export const FILL_BODIES = `
for i = 1, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1
`

// The newest ARGV[1] + 1 lines (all when ARGV[1] is -1) and, for each, its body: '' when it has
// none, or when newer bodies have gone once round the ring (ARGV[2] bytes) past it, or the store
// lacks it. Read at one instant.
export const READ_JOURNAL = `${HELPERS}
local lines = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[1]))
local written = tonumber(redis.call('GET', KEYS[10]) or '0')
local size = tonumber(ARGV[2])
local bodies = {}
local known = {}
for i, line in ipairs(lines) do
  local ref = field(line, 3)
  local body = ''
  if ref ~= '' and written - tonumber(field(line, 6)) <= size then
    if known[ref] == nil then known[ref] = redis.call('HGET', KEYS[4], ref) or '' end
    body = known[ref]
  end
  bodies[i] = body
end
return {lines, bodies}
`

// Forgets one session's journal lines (a session reset): those whose session column is ARGV[1],
// sealed or staged, what they weigh, and the bodies only they referenced.
export const FORGET_SESSION = `#!lua flags=allow-oom
${HELPERS}
local all = redis.call('LRANGE', KEYS[2], 0, -1)
local gone = {}
redis.call('DEL', KEYS[2])
for i = #all, 1, -1 do
  if field(all[i], 4) == ARGV[1] then
    redis.call('INCRBY', KEYS[7], -tonumber(field(all[i], 5)))
    gone[field(all[i], 1)] = true
  else
    redis.call('LPUSH', KEYS[2], all[i])
  end
end
local answers = redis.call('LRANGE', KEYS[9], 0, -1)
redis.call('DEL', KEYS[9])
for i = #answers, 1, -1 do
  if gone[field(answers[i], 1)] then release(field(answers[i], 3)) else redis.call('LPUSH', KEYS[9], answers[i]) end
end
for _, line in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
  if field(line, 4) == ARGV[1] then
    release(field(line, 3))
    redis.call('INCRBY', KEYS[8], -tonumber(field(line, 5)))
    redis.call('ZREM', KEYS[6], line)
  end
end
return #all
`

// Joins a replica's settings to the fleet's: the first replica's (or, when no replica is alive,
// the newcomer's) are the fleet's; a replica with other settings while others run gets theirs back.
export const SETTINGS = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then
  local live = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[2], '+inf')
  if #live > 0 then return {current, #live} end
end
redis.call('SET', KEYS[1], ARGV[1])
return {ARGV[1], 0}
`
