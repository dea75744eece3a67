// talkover-mock/testcontainers: the mock's image as a Testcontainers module. Settings go in as the
// image's environment variables (docs/cli.md), fixtures are copied in, and the container counts as
// started when GET /__mock/ready answers 200 (an HTTP probe, not an open port). testcontainers is
// an optional peer dependency: only this entry point imports it.
// The shipped declarations name Node's types (node:http servers, Buffers): they come with the
// package (@types/node is a dependency), so a strict project that lists no `types` typechecks.
/// <reference types="node" preserve="true" />
import { readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { AbstractStartedContainer, GenericContainer, type StartedTestContainer, Wait } from 'testcontainers'
import { closest, SETTINGS } from './config.js'
import { type MockClientOptions, mockClient } from './testing/client.js'

/** The port the image listens on. */
export const TALKOVER_MOCK_PORT = 4010

/** The image the module runs unless given another: build it with `docker build -t talkover-mock .`. */
export const TALKOVER_MOCK_IMAGE = 'talkover-mock:latest'

/**
 * The mock in a container.
 * @example
 * const mock = await new TalkoverMockContainer().withSeed(42).withFixtures('test/fixtures').start()
 * await fetch(`${mock.getBaseUrl()}/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs`, …)
 * await mock.client({ session: 't1' }).failNext(2, 503)
 * await mock.stop()
 */
export class TalkoverMockContainer extends GenericContainer {
  #adminToken: string | undefined
  #fixtures = 0

  constructor(image = TALKOVER_MOCK_IMAGE) {
    super(image)
    this.withExposedPorts(TALKOVER_MOCK_PORT)
      .withEnvironment({ TALKOVER_MOCK_HOST: '0.0.0.0', TALKOVER_MOCK_PORT: String(TALKOVER_MOCK_PORT) })
      .withWaitStrategy(Wait.forHttp('/__mock/ready', TALKOVER_MOCK_PORT).forStatusCode(200))
  }

  /** Any setting by its environment variable or its flag: `withSetting('--latency', '50-300')`, `withSetting('TALKOVER_MOCK_CLOCK', 'live')`. */
  withSetting(name: string, value: string | number): this {
    // A typo would otherwise become an environment variable nothing reads.
    const setting = SETTINGS.find((s) => s.flag === name || s.env.includes(name))
    if (setting === undefined) {
      const known = name.startsWith('--') ? SETTINGS.map((s) => s.flag) : SETTINGS.flatMap((s) => s.env)
      throw new TypeError(
        `Unknown setting "${name}" for withSetting: did you mean "${closest(name, known)}"? Use a flag or its environment variable from docs/cli.md (withEnvironment sets any other variable).`,
      )
    }
    if (setting.key === 'port' || setting.key === 'host')
      throw new TypeError(
        `withSetting("${name}"): TalkoverMockContainer runs the mock on port 4010 of all the container's interfaces and maps it for you; read the URL with getBaseUrl().`,
      )
    // Checked now, as the CLI would at start, rather than as a container that never gets ready.
    setting.parse(String(value), setting.flag, () => Date.now())
    return this.withEnvironment({ [name.startsWith('--') ? setting.env[0] : name]: String(value) })
  }

  withSeed(seed: number): this {
    return this.withSetting('TALKOVER_MOCK_SEED', seed)
  }

  /** The one `talq_…` token the API accepts. */
  withToken(token: string): this {
    return this.withSetting('TALKOVER_MOCK_TOKEN', token)
  }

  /** The admin token; `client()` sends it. */
  withAdminToken(token: string): this {
    this.#adminToken = token
    return this.withSetting('TALKOVER_MOCK_ADMIN_TOKEN', token)
  }

  /** `live` sends real webhooks to the hosts of `allow` (`'receiver:3000'`). */
  withDeliver(mode: 'off' | 'live', allow?: string): this {
    this.withSetting('TALKOVER_MOCK_DELIVER', mode)
    return allow === undefined ? this : this.withSetting('TALKOVER_MOCK_DELIVER_ALLOW', allow)
  }

  /**
   * Copies a fixture file, or the fixture files of a folder, into the container's /fixtures and
   * loads them (the image's --fixtures reads one folder; several calls add up, later ones win).
   */
  withFixtures(path: string): this {
    const found = statSync(path, { throwIfNoEntry: false })
    if (found === undefined) throw new Error(`withFixtures("${path}"): no such file or folder. Please give a fixture file or a folder of them.`)
    const files = found.isDirectory()
      ? readdirSync(path)
          .filter((name) => /\.(ya?ml|json)$/i.test(name))
          .sort()
          .map((name) => join(path, name))
      : [path]
    if (files.length === 0)
      throw new Error(`withFixtures("${path}"): the folder holds no .yaml, .yml or .json file. Please give a fixture file or a folder of them.`)
    // Numbered so the folder's order (by name) is the order of the calls.
    this.withCopyFilesToContainer(files.map((source) => ({ source, target: `/fixtures/${String(++this.#fixtures).padStart(4, '0')}-${basename(source)}` })))
    return this.withSetting('TALKOVER_MOCK_FIXTURES', '/fixtures')
  }

  override async start(): Promise<StartedTalkoverMockContainer> {
    return new StartedTalkoverMockContainer(await super.start(), this.#adminToken)
  }
}

/** A running TalkoverMockContainer. */
export class StartedTalkoverMockContainer extends AbstractStartedContainer {
  readonly #adminToken: string | undefined

  constructor(started: StartedTestContainer, adminToken: string | undefined) {
    super(started)
    this.#adminToken = adminToken
  }

  /** The mock's base URL from the host, e.g. http://localhost:32768. */
  getBaseUrl(): string {
    return `http://${this.getHost()}:${this.getMappedPort(TALKOVER_MOCK_PORT)}`
  }

  /** A mockClient of this container (its admin token included), optionally scoped to a session. */
  client(options: Omit<MockClientOptions, 'adminToken'> = {}) {
    return mockClient(this.getBaseUrl(), { adminToken: this.#adminToken, ...options })
  }
}
