// deploy/kubernetes.yaml cannot be applied here (no cluster), so check what would break silently:
// probe paths, port, env names and values, and the security settings the container test mirrors.
import { readFileSync } from 'node:fs'
import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { SETTINGS } from '../src/config.js'
import { hostPolicy } from '../src/http/hosts.js'
import { loadSpec } from '../src/http/spec.js'

const root = new URL('..', import.meta.url)
const docs = parseAllDocuments(readFileSync(new URL('deploy/kubernetes.yaml', root), 'utf8')).map((d) => d.toJS())
const named = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name)
const deployment = named('Deployment', 'talkover-mock')
const service = named('Service', 'talkover-mock')
const container = deployment.spec.template.spec.containers[0]
const store = named('Deployment', 'talkover-mock-store')
const storeService = named('Service', 'talkover-mock-store')
const storeContainer = store.spec.template.spec.containers[0]
const spec = loadSpec()

/** Whether a Service's selector picks a pod with these labels. */
const selects = (svc: { spec: { selector: Record<string, string> } }, labels: Record<string, string>) =>
  Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v)

describe('deploy/kubernetes.yaml', () => {
  it('probes readiness and liveness on the mock endpoints that need no token', () => {
    const probes = { readiness: container.readinessProbe.httpGet.path, liveness: container.livenessProbe.httpGet.path }
    expect(probes).toEqual({ readiness: '/__mock/ready', liveness: '/__mock/health' })
    for (const path of Object.values(probes)) {
      const op = spec.operations.find((o) => o.path === path && o.method === 'get')
      expect(op?.secured, `${path} must be an open GET in openapi.yaml`).toBe(false)
    }
  })

  it('exposes the image port through the Service to the pods it selects', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 4010 }])
    expect(readFileSync(new URL('Dockerfile', root), 'utf8')).toMatch(/^EXPOSE 4010$/m)
    expect(service.spec.ports[0].targetPort).toBe('http')
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels)
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels)
  })

  it('sets only settings the CLI knows, with values it accepts', () => {
    for (const { name, value } of container.env) {
      const setting = SETTINGS.find((s) => s.env.includes(name))
      expect(setting, `${name} is not a talkover-mock setting`).toBeDefined()
      expect(() => setting!.parse(String(value), name, () => 0)).not.toThrow()
    }
  })

  it("lets the Service's DNS names through the Host check, in any namespace, and no public name", () => {
    const allowed = container.env.find((e: { name: string }) => e.name === 'TALKOVER_MOCK_ALLOWED_HOSTS')
    expect(allowed, 'TALKOVER_MOCK_ALLOWED_HOSTS must name the Service').toBeDefined()
    const passes = hostPolicy(SETTINGS.find((s) => s.key === 'allowedHosts')!.parse(allowed.value, allowed.name, () => 0) as string)
    const name = service.metadata.name
    for (const host of [`${name}:4010`, `${name}.default.svc:4010`, `${name}.tests.svc.cluster.local:4010`, '10.42.0.7:4010'])
      expect(passes(host), host).toBe(true)
    expect(passes('evil.example')).toBe(false)
  })

  it('asks for the non-root, read-only container the smoke test runs', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 })
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false })
    expect(readFileSync(new URL('scripts/container-test.sh', root), 'utf8')).toMatch(/--read-only --cap-drop=ALL/)
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) })
  })
})

describe('deploy/kubernetes.yaml: the shared store (issue 25)', () => {
  const state = container.env.find((e: { name: string }) => e.name === 'TALKOVER_MOCK_STATE')

  it("points every replica at the store's Service by its in-cluster name and port", () => {
    const port = storeService.spec.ports[0]
    expect(state?.value).toBe(`redis://${storeService.metadata.name}:${port.port}`)
    expect(storeContainer.ports).toEqual([{ name: port.targetPort, containerPort: 6379 }])
    expect(selects(storeService, store.spec.template.metadata.labels)).toBe(true)
    expect(store.spec.selector.matchLabels).toEqual(store.spec.template.metadata.labels)
  })

  it("keeps each Service to its own pods: the mock's Service never sends API requests to the store, nor the store's to a mock", () => {
    expect(selects(service, store.spec.template.metadata.labels)).toBe(false)
    expect(selects(storeService, deployment.spec.template.metadata.labels)).toBe(false)
  })

  it('waits for the store before starting the mock, at the address the mock is given', () => {
    const [wait] = deployment.spec.template.spec.initContainers
    const { hostname, port } = new URL(state.value)
    expect(wait.command.join(' ')).toContain(`valkey-cli -h ${hostname} -p ${port} ping`)
    expect(wait.image).toBe(storeContainer.image)
    expect(wait.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false })
  })

  it('runs one store with no disk, refusing writes rather than evicting when full, within its memory limit', () => {
    expect(store.spec.replicas).toBe(1)
    expect(store.spec.strategy.type).toBe('Recreate')
    const args: string[] = storeContainer.args
    const flag = (name: string) => args[args.indexOf(name) + 1]
    expect([flag('--save'), flag('--appendonly'), flag('--maxmemory-policy')]).toEqual(['', 'no', 'noeviction'])
    const maxmemory = Number(flag('--maxmemory').replace(/mb$/, ''))
    const limit = Number(storeContainer.resources.limits.memory.replace(/Mi$/, ''))
    expect(maxmemory).toBeGreaterThan(0)
    expect(maxmemory, 'room for the server itself and client buffers above --maxmemory').toBeLessThanOrEqual(limit * 0.8)
  })

  it("lets only the mock's pods reach the store, on the store's port", () => {
    const policy = named('NetworkPolicy', 'talkover-mock-store')
    expect(policy.spec.podSelector.matchLabels).toEqual(store.spec.template.metadata.labels)
    expect(policy.spec.policyTypes).toEqual(['Ingress'])
    expect(policy.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: deployment.spec.template.metadata.labels } }], ports: [{ protocol: 'TCP', port: storeContainer.ports[0].name }] },
    ])
  })

  it('runs the store non-root on a read-only root filesystem, writing only to its emptyDir', () => {
    expect(store.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 })
    expect(storeContainer.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })
    expect(storeContainer.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }])
    expect(store.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }])
  })
})

describe('the image build context', () => {
  it('holds every script `npm run build` and `npm pack` run, so the build inside the image finds them', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }
    const scripts = [pkg.scripts.build, pkg.scripts.prepack].flatMap((line) => line.match(/scripts\/[\w-]+\.mjs/g) ?? [])
    expect(scripts).toContain('scripts/bundle-cli.mjs')
    const allowed = readFileSync(new URL('.dockerignore', root), 'utf8').split('\n')
    expect(scripts.filter((script) => !allowed.includes(`!${script}`))).toEqual([])
  })
})
