// The model-based test of the whole HTTP surface (issue 23): random sequences of lists, retries,
// clock moves, webhook writes, config patches, resets and waits, run against two apps with
// different real-time gaps and checked against the reference model after every command.
// CI runs fixed seeds; TALKOVER_MOCK_MODEL_RUNS=<n> runs n sequences per seed, TALKOVER_MOCK_MODEL_SEED
// (with TALKOVER_MOCK_MODEL_PATH) replays a failure: see docs/development.md.
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { commandArbitraries, CreateWebhook, KeepAlive, ListPage, MoveClock, PatchConfig, ReadClock, Reset, Retry, Wait } from './commands.js'
import { newModel, type Model } from './model.js'
import { createReal, type Real } from './real.js'

const env = process.env
const RUNS = Number(env.TALKOVER_MOCK_MODEL_RUNS ?? 12)
const SEEDS = env.TALKOVER_MOCK_MODEL_SEED ? [Number(env.TALKOVER_MOCK_MODEL_SEED)] : [42, 1337, 1211]
const PATH = env.TALKOVER_MOCK_MODEL_PATH
const REPLAY = env.TALKOVER_MOCK_MODEL_REPLAY

describe('any sequence of commands', () => {
  for (const seed of SEEDS) {
    it(`keeps every page whole, every answer valid and the bytes independent of real time (seed ${seed})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbitraries, { maxCommands: 40, size: 'medium', replayPath: REPLAY }), (commands) =>
          fc.asyncModelRun(() => ({ model: newModel(), real: createReal() }), commands),
        ),
        { seed, numRuns: RUNS, path: PATH, endOnFailure: PATH !== undefined, verbose: 1 },
      )
    }, 600_000)
  }
})

/** The reproductions of issue 23's defects, as fixed sequences of the same commands and model. */
const REPRODUCTIONS: [string, fc.AsyncCommand<Model, Real>[]][] = [
  [
    '23.1: a retry made at a later instant does not show at an earlier one, and every row shows once',
    [
      new Retry({ target: 0, pick: 0, log: 'log-uuid-2', pin: 'anchor+1d', jitter: 0 }),
      new Retry({ target: 0, pick: 0, log: 'log-uuid-2', pin: 'clock', jitter: 0 }),
      // The row made at 2024-01-16 does not exist yet at the anchor: 404, like any unknown id.
      new Retry({ target: 0, pick: 0, log: 'own:0', pin: 'clock', jitter: 0 }),
      new ListPage({ target: 0, page: 1, perPage: 100, pin: 'clock', jitter: 0 }),
      new MoveClock({ move: { advance: '1d' }, jitter: 0 }),
      new MoveClock({ move: { advance: '1d' }, jitter: 0 }),
      new ListPage({ target: 0, page: 3, perPage: 100, pin: 'clock', jitter: 0 }),
    ],
  ],
  [
    'a retry made before the anchor moved on sits below the newer history rows, not on top',
    [
      new Retry({ target: 0, pick: 0, log: 'log-uuid-2', pin: 'clock', jitter: 0 }),
      new PatchConfig({ patch: { now: '2024-02-01T00:00:00Z' }, jitter: 0 }),
      new ListPage({ target: 0, page: 1, perPage: 10, pin: 'clock', jitter: 0 }),
    ],
  ],
  [
    '23.2: writes are dated at the clock’s instant whatever the real time under a frozen clock',
    [new Wait(5_000), new Retry({ target: 0, pick: 0, pin: 'clock', jitter: 3 }), new CreateWebhook({ owner: 'agent', pin: 'clock', jitter: 7 })],
  ],
  [
    '23.3: no instant past 9999-12-31T23:59:59Z, and a move past it changes nothing',
    [
      new MoveClock({ move: { set: 'max' }, jitter: 0 }),
      new MoveClock({ move: { advance: '1d' }, jitter: 0 }),
      new ReadClock({ jitter: 0 }),
      new ListPage({ target: 0, page: 1, perPage: 25, pin: 'past-max', jitter: 0 }),
    ],
  ],
  [
    '23.4: a session used every 4 minutes keeps its retries, webhooks and clock',
    [
      new Retry({ session: 's1', target: 0, pick: 0, pin: 'clock', jitter: 0 }),
      new MoveClock({ session: 's1', move: { advance: 3600 }, jitter: 0 }),
      new KeepAlive({ session: 's1', via: 'clock' }),
      new ListPage({ session: 's1', target: 0, page: 1, perPage: 25, pin: 'clock', jitter: 0 }),
      new Wait(660_000),
      new ReadClock({ session: 's1', jitter: 0 }),
    ],
  ],
  [
    'a session idle 9m59s keeps its clock; one idle 10m1s is forgotten whole',
    [
      new MoveClock({ session: 's1', move: { advance: 3600 }, jitter: 0 }),
      new Wait(599_000),
      new ReadClock({ session: 's1', jitter: 0 }),
      new Wait(601_000),
      new ReadClock({ session: 's1', jitter: 0 }),
    ],
  ],
  [
    'a session read only through GET /__mock/requests every 4 minutes keeps its state',
    [
      new MoveClock({ session: 's1', move: { advance: 3600 }, jitter: 0 }),
      new KeepAlive({ session: 's1', via: 'requests' }),
      new Wait(5_000),
      new ReadClock({ session: 's1', jitter: 0 }),
    ],
  ],
  ['23.5: failure_rate 1 has no first-attempt success', [new ListPage({ target: 1, page: 1, perPage: 100, pin: 'clock', jitter: 0 })]],
  [
    '23.6: an empty ?session= resets nothing',
    [
      new Retry({ target: 0, pick: 0, pin: 'clock', jitter: 0 }),
      new Reset({ session: '', jitter: 0 }),
      new ListPage({ target: 0, page: 1, perPage: 25, pin: 'clock', jitter: 0 }),
    ],
  ],
]

describe('the reproductions of issue 23, through the same model', () => {
  for (const [name, commands] of REPRODUCTIONS) {
    it(name, async () => {
      await fc.asyncModelRun(() => ({ model: newModel(), real: createReal() }), commands)
    })
  }
})
