// The model-based test of the whole HTTP surface (issue 23): random sequences of lists, retries,
// clock moves, webhook writes, config patches, resets and waits, run against two apps with
// different real-time gaps and checked against the reference model after every command.
// CI runs fixed seeds; TALKOVER_MOCK_MODEL_RUNS=<n> runs n sequences per seed, TALKOVER_MOCK_MODEL_SEED
// (with TALKOVER_MOCK_MODEL_PATH) replays a failure: see docs/development.md.
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { commandArbitraries } from './commands.js'
import { newModel } from './model.js'
import { createReal } from './real.js'

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
