// The world a request is answered from: seed and anchor time (and, later, fixtures). Pure data.
import type { AppSettings } from './config.js'

export interface World {
  seed: number
  /** Epoch seconds the world is anchored at; the 30-day retention window ends here. */
  now: number
}

/**
 * Builds the world from validated settings.
 * @example
 * createWorld({ seed: 1, now: 1705320000 }) //=> { seed: 1, now: 1705320000 }
 */
export function createWorld(settings: AppSettings): World {
  return Object.freeze({ seed: settings.seed, now: settings.now })
}

/** The same world with another seed (the X-Mock-Seed header). */
export function withSeed(world: World, seed: number): World {
  return seed === world.seed ? world : Object.freeze({ ...world, seed })
}
