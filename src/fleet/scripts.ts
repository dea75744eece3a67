// The fleet's keys in Valkey/Redis and the Lua scripts that must run whole (Redis runs each script
// atomically). Every key starts with `talkover-mock:`, so the mock can share a database with
// nothing else of its own. Text only: redis-log.ts sends them.

/** Keys of one fleet. */
export const KEY = {
  ops: 'talkover-mock:ops',
  k: 'talkover-mock:k',
  seq: 'talkover-mock:journal-seq',
  journal: 'talkover-mock:journal',
  /** Journal lines flushed by replicas and not yet sealed: ordered by the instant each request was answered. */
  stage: 'talkover-mock:journal-stage',
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
// is an API request without a session, and returns its id and the replicas alive now. Allowed
// when the store is full (noeviction): a global reset must still get through to free it.
export const COMMIT = `#!lua flags=allow-oom
local k0 = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[2] == '1' then redis.call('INCR', KEYS[2]) end
local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[1], 'k', tostring(k0))
local live = redis.call('ZRANGEBYSCORE', KEYS[3], ARGV[3], '+inf')
return {id, live}
`

// After a global reset was made (answered 200): the count and the journal (its bodies too) start
// afresh and the log before the reset goes (a replica joining later starts from the reset).
export const RESET = `#!lua flags=allow-oom
redis.call('DEL', KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
redis.call('SET', KEYS[2], '0')
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
return 1
`

// A journal line is `seq|k|ref|session|json`, a staged line `id|counted|ref|session|json`: ref
// is the digest of its answer's body (or empty), whose text is in the bodies hash while some line
// references it. The journal scripts take KEYS seq, journal, k, bodies, refs, stage (JOURNAL_KEYS
// in redis-log.ts). RELEASE lets one line's reference go; FIELDS splits a line.
const RELEASE = `
local function release(line)
  local a = string.find(line, '|', 1, true)
  local b = string.find(line, '|', a + 1, true)
  local c = string.find(line, '|', b + 1, true)
  if c > b + 1 then
    local ref = string.sub(line, b + 1, c - 1)
    if redis.call('HINCRBY', KEYS[5], ref, -1) <= 0 then
      redis.call('HDEL', KEYS[5], ref)
      redis.call('HDEL', KEYS[4], ref)
    end
  end
end
`

// Stages a replica's lines, oldest first: ARGV[1] is the journal's capacity, ARGV[2] how many
// older lines the replica left out (they still take a seq), ARGV[3] how many of those were counted;
// then (instant, id, counted, session, ref, body, json) per line, body empty when the replica
// believes the store has it. Only the newest `capacity` staged lines stay: older ones take their
// seq and k now and go. Returns the refs of staged lines whose body the store lacks (another
// replica's reset emptied it): the replica sends those with FILL_BODIES.
export const STAGE = `${RELEASE}
redis.call('INCRBY', KEYS[1], tonumber(ARGV[2]))
redis.call('INCRBY', KEYS[3], tonumber(ARGV[3]))
local missing = {}
for i = 4, #ARGV, 7 do
  local ref = ARGV[i + 4]
  if ref ~= '' then
    redis.call('HINCRBY', KEYS[5], ref, 1)
    if ARGV[i + 5] ~= '' then
      redis.call('HSET', KEYS[4], ref, ARGV[i + 5])
    elseif redis.call('HEXISTS', KEYS[4], ref) == 0 then
      missing[ref] = true
    end
  end
  redis.call('ZADD', KEYS[6], ARGV[i], ARGV[i + 1] .. '|' .. ARGV[i + 2] .. '|' .. ref .. '|' .. ARGV[i + 3] .. '|' .. ARGV[i + 6])
end
local over = redis.call('ZCARD', KEYS[6]) - tonumber(ARGV[1])
if over > 0 then
  for _, line in ipairs(redis.call('ZRANGE', KEYS[6], 0, over - 1)) do
    redis.call('INCR', KEYS[1])
    if string.sub(line, string.find(line, '|', 1, true) + 1, string.find(line, '|', 1, true) + 1) == '1' then redis.call('INCR', KEYS[3]) end
    release(line)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[6], 0, over - 1)
end
local out = {}
for ref in pairs(missing) do
  if redis.call('HEXISTS', KEYS[5], ref) == 1 then out[#out + 1] = ref end
end
return out
`

// Seals the staged lines into the journal, in the order they were answered: each takes the next
// seq, a counted one the fleet's next k. Lines past the capacity go, and with them the bodies no
// line references any more. ARGV[1] is the journal's capacity. Run after every replica flushed
// (a barrier), so the fleet's count and journal are exact.
export const SEAL = `${RELEASE}
local staged = redis.call('ZRANGE', KEYS[6], 0, -1)
redis.call('DEL', KEYS[6])
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local k = tonumber(redis.call('GET', KEYS[3]) or '0')
for _, line in ipairs(staged) do
  local a = string.find(line, '|', 1, true)
  seq = seq + 1
  local kept = ''
  if string.sub(line, a + 1, a + 1) == '1' then
    k = k + 1
    kept = tostring(k)
  end
  redis.call('LPUSH', KEYS[2], seq .. '|' .. kept .. string.sub(line, a + 2))
end
redis.call('SET', KEYS[1], seq)
redis.call('SET', KEYS[3], k)
local cap = tonumber(ARGV[1])
for _, line in ipairs(redis.call('LRANGE', KEYS[2], cap, -1)) do release(line) end
if cap == 0 then redis.call('DEL', KEYS[2]) else redis.call('LTRIM', KEYS[2], 0, cap - 1) end
return #staged
`

// Stores bodies the store lacked, as (ref, body) pairs: only those some journal line still references.
export const FILL_BODIES = `
for i = 1, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1
`

// The newest ARGV[1] lines (all when -1) and, for each, its body ('' when it has none, or the
// store lacks it), read at one instant.
export const READ_JOURNAL = `
local lines = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]))
local bodies = {}
local known = {}
for i, line in ipairs(lines) do
  local a = string.find(line, '|', 1, true)
  local b = string.find(line, '|', a + 1, true)
  local c = string.find(line, '|', b + 1, true)
  local body = ''
  if c > b + 1 then
    local ref = string.sub(line, b + 1, c - 1)
    if known[ref] == nil then known[ref] = redis.call('HGET', KEYS[2], ref) or '' end
    body = known[ref]
  end
  bodies[i] = body
end
return {lines, bodies}
`

// Forgets one session's journal lines (a session reset): those whose session column is ARGV[1],
// sealed or staged, and the bodies only they referenced.
export const FORGET_SESSION = `#!lua flags=allow-oom
${RELEASE}
local mark = '|' .. ARGV[1] .. '|'
local function ours(line)
  local a = string.find(line, '|', 1, true)
  local b = string.find(line, '|', a + 1, true)
  local c = string.find(line, '|', b + 1, true)
  local d = string.find(line, '|', c + 1, true)
  return string.sub(line, c, d) == mark
end
local all = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
for i = #all, 1, -1 do
  if ours(all[i]) then release(all[i]) else redis.call('LPUSH', KEYS[2], all[i]) end
end
for _, line in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
  if ours(line) then
    release(line)
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
