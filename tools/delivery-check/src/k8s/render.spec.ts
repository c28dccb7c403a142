// every overlay renders with kustomize and every object it renders passes the kubernetes schemas,
// strictly: a misspelt or misplaced field fails instead of being dropped by the api server
import { tool } from '../support/tools';
import { BASE_DIR, KUBERNETES_VERSION, OVERLAYS, ofKind, overlayDir, rendered } from './manifests';

const validate = (yaml: string, ...flags: string[]) =>
  tool('kubernetes-validate', ['-k', KUBERNETES_VERSION, '--strict', ...flags, '-'], { input: yaml });

describe('the kubernetes manifests', () => {
  it.each(OVERLAYS)('overlays/%s renders with kustomize build', (overlay) => {
    const { manifests } = rendered(overlayDir(overlay));
    expect(manifests.length).toBeGreaterThan(0);
    expect(ofKind(manifests, 'Deployment')).toHaveLength(5);
    expect(ofKind(manifests, 'StatefulSet')).toHaveLength(6);
  });

  it.each(OVERLAYS)(`overlays/%s passes the kubernetes ${KUBERNETES_VERSION} schemas in strict mode`, (overlay) => {
    const r = validate(rendered(overlayDir(overlay)).text, '--quiet');
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
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
    for (const overlay of OVERLAYS) expect(ofKind(rendered(overlayDir(overlay)).manifests, 'Secret')).toEqual([]);
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
