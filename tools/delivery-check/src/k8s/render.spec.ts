// every overlay renders with kustomize and every object it renders passes its schema, strictly: a misspelt
// or misplaced field fails instead of being dropped by the api server. the kubernetes schemas for the
// built-in kinds, the operators' CRDs for the prod overlay's data tier
import { tool } from '../support/tools';
import { isCustomResource, validateCustomResources } from './data-tier';
import { PUBLIC_SECRET } from './policies';
import { BASE_DIR, KUBERNETES_VERSION, OVERLAYS, ofKind, overlayDir, rendered, type K8sObject, type Overlay } from './manifests';

const validate = (yaml: string, ...flags: string[]) =>
  tool('kubernetes-validate', ['-k', KUBERNETES_VERSION, '--strict', ...flags, '-'], { input: yaml });

const yaml = (ms: readonly K8sObject[]) => ms.map((m) => JSON.stringify(m)).join('\n---\n');

/** dev runs the stores as six single-pod StatefulSets; prod declares them to their operators, which make the pods */
const STORES: Record<Overlay, { statefulSets: number; customResources: number }> = {
  dev: { statefulSets: 6, customResources: 0 },
  prod: { statefulSets: 0, customResources: 11 },
};

describe('the kubernetes manifests', () => {
  it.each(OVERLAYS)('overlays/%s renders with kustomize build', (overlay) => {
    const { manifests } = rendered(overlayDir(overlay));
    expect(ofKind(manifests, 'Deployment')).toHaveLength(5);
    expect(ofKind(manifests, 'StatefulSet')).toHaveLength(STORES[overlay].statefulSets);
    // the topics are KafkaTopics besides: counted in data-tier.spec.ts
    expect(manifests.filter(isCustomResource).filter((m) => m.kind !== 'KafkaTopic')).toHaveLength(STORES[overlay].customResources);
  });

  it.each(OVERLAYS)(`overlays/%s: its built-in objects pass the kubernetes ${KUBERNETES_VERSION} schemas in strict mode`, (overlay) => {
    const builtIn = rendered(overlayDir(overlay)).manifests.filter((m) => !isCustomResource(m));
    const r = validate(yaml(builtIn), '--quiet');
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.code).toBe(0);
  });

  it("overlays/prod: its custom resources pass their operators' CRD schemas in strict mode", () => {
    const custom = rendered(overlayDir('prod')).manifests.filter(isCustomResource);
    const r = validateCustomResources(yaml(custom));
    expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`Valid: ${custom.length}, Invalid: 0, Errors: 0, Skipped: 0`));
    expect(r.code).toBe(0);
  });

  it(`the base passes the schemas too, Secret templates included`, () => {
    const base = rendered(BASE_DIR);
    expect(ofKind(base.manifests, 'Secret').length).toBeGreaterThan(0);
    const r = validate(base.text, '--quiet');
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.code).toBe(0);
  });

  it('the overlays leave the Secret templates out, so an apply never blanks the real Secrets', () => {
    for (const overlay of OVERLAYS) {
      const secrets = ofKind(rendered(overlayDir(overlay)).manifests, 'Secret');
      expect(secrets.filter((s) => s.metadata.labels?.['ecom.dev/secret-template'] === 'true')).toEqual([]);
      // what an overlay applies is only what holds no credential (the search roles)
      expect(secrets.filter((s) => s.metadata.labels?.[PUBLIC_SECRET] !== 'true')).toEqual([]);
    }
  });

  it(`the validator has the ${KUBERNETES_VERSION} schemas (it names the version it checked against)`, () => {
    const r = validate('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain(`against version ${KUBERNETES_VERSION.replace(/\.0$/, '')}`);
  });

  it('the validator fails an unknown field and a wrong type (negative)', () => {
    const deployment = (strategy: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
spec:
  selector:
    matchLabels: { app: x }
  strategy: ${strategy}
  template:
    metadata:
      labels: { app: x }
    spec:
      containers: [{ name: x, image: "x:1.0.0" }]
`;
    expect(validate(deployment('{ type: RollingUpdate, rollingUpdate: { maxSurge: 1 } }'), '--quiet').code).toBe(0);
    const unknown = validate(deployment('{ type: RollingUpdate, rollingUpdate: { maxSurges: 1 } }'), '--quiet');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout + unknown.stderr).toMatch(/maxSurges/);
    const wrongType = validate(deployment('{ type: RollingUpdate, rollingUpdate: { maxSurge: [1] } }'), '--quiet');
    expect(wrongType.code).not.toBe(0);
  });
});
