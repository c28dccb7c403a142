// the rendered kubernetes manifests as plain objects, and the few pieces of kubernetes semantics the
// policies need: label selectors, a pod's environment as the kubelet builds it, network policy decisions
import { parseAllDocuments } from 'yaml';
import { tool } from '../support/tools';

export const K8S_DIR = 'deploy/k8s';

/** the kubernetes version whose schemas the manifests must pass (kubernetes-validate -k) */
export const KUBERNETES_VERSION = '1.33.0';
export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export type Labels = Record<string, string>;

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef; fieldRef?: { fieldPath: string }; resourceFieldRef?: unknown };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: { port: number };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string };
}

export interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command?: string[] }; sleep?: { seconds: number }; httpGet?: unknown } };
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Volume {
  name: string;
  emptyDir?: object;
  hostPath?: object;
  configMap?: { name: string };
  secret?: { secretName: string };
  persistentVolumeClaim?: { claimName: string };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext & { fsGroup?: number };
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: Volume[];
}

export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    serviceName?: string;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    template: { metadata?: { labels?: Labels; annotations?: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: { metadata: { name: string }; spec: { resources?: { requests?: { storage?: string } } } }[];
  };
}

export interface ServiceObject extends K8sObject {
  spec: {
    clusterIP?: string;
    selector?: Labels;
    ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[];
  };
}

export interface ConfigMapObject extends K8sObject {
  data?: Record<string, string>;
}

export interface SecretObject extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface HpaObject extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: { type: string; resource?: { name: string; target: { type: string; averageUtilization?: number } } }[];
  };
}

export interface PdbObject extends K8sObject {
  spec: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
}

export interface NetworkPolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

export interface NetworkPolicyObject extends K8sObject {
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
    egress?: { to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
  };
}

export interface IngressObject extends K8sObject {
  spec: {
    ingressClassName?: string;
    rules?: {
      host?: string;
      http?: {
        paths: { path?: string; pathType?: string; backend: { service?: { name: string; port: { number?: number; name?: string } } } }[];
      };
    }[];
  };
}

/** `kustomize build <dir>` (dir relative to the repository root) */
export function kustomizeBuild(dir: string): string {
  const r = tool('kustomize', ['build', dir]);
  if (r.code !== 0) throw new Error(`kustomize build ${dir} failed (exit ${r.code}):\n${r.stderr}`);
  return r.stdout;
}

/** every document of a multi-document yaml stream; a syntax error throws */
export function parseManifests(text: string): K8sObject[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error('not a yaml document stream');
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length > 0) throw new Error(`yaml errors:\n${errors.join('\n')}`);
  return docs.map((d) => d.toJS() as K8sObject).filter((o) => o && typeof o === 'object');
}

export interface Rendered {
  readonly dir: string;
  readonly text: string;
  readonly manifests: readonly K8sObject[];
}

const renders = new Map<string, Rendered>();

/** a kustomization rendered once per test file (jest gives each file its own module registry) */
export function rendered(dir: string): Rendered {
  let r = renders.get(dir);
  if (!r) {
    const text = kustomizeBuild(dir);
    r = { dir, text, manifests: parseManifests(text) };
    renders.set(dir, r);
  }
  return r;
}

export const overlayDir = (overlay: Overlay) => `${K8S_DIR}/overlays/${overlay}`;
export const BASE_DIR = `${K8S_DIR}/base`;
/** the stores as single-pod StatefulSets, for a development cluster (overlays/dev) */
export const DATASTORES_DIR = `${K8S_DIR}/datastores`;

/** a deep copy to break on purpose in a negative test */
export const copy = <T>(value: T): T => structuredClone(value);

export const ofKind = <T extends K8sObject>(ms: readonly K8sObject[], kind: string): T[] => ms.filter((m) => m.kind === kind) as T[];
export const named = <T extends K8sObject>(ms: readonly K8sObject[], kind: string, name: string): T | undefined =>
  ofKind<T>(ms, kind).find((m) => m.metadata.name === name);
export const id = (m: K8sObject) => `${m.kind}/${m.metadata.name}`;
export const namespaceOf = (m: K8sObject) => m.metadata.namespace ?? 'default';

export const deployments = (ms: readonly K8sObject[]) => ofKind<Workload>(ms, 'Deployment');
export const statefulSets = (ms: readonly K8sObject[]) => ofKind<Workload>(ms, 'StatefulSet');
export const workloads = (ms: readonly K8sObject[]) => [...deployments(ms), ...statefulSets(ms)];
export const podLabels = (w: Workload): Labels => w.spec.template.metadata?.labels ?? {};
export const containersOf = (w: Workload): Container[] => [
  ...(w.spec.template.spec.initContainers ?? []),
  ...w.spec.template.spec.containers,
];

/** label selector semantics; an absent selector selects nothing, an empty one everything */
export function selects(selector: LabelSelector | undefined, labels: Labels = {}): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

// ---- the environment of a container, as the kubelet builds it ---------------------------------------

/** what a Secret key holds: its value by default; the consistency check fills in stand-ins */
export type SecretValue = (secret: string, key: string, stored: string) => string;

export interface ResolvedEnv {
  readonly env: Record<string, string>;
  readonly problems: string[];
}

function secretEntries(s: SecretObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(String(v ?? ''), 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = String(v ?? '');
  return out;
}

/**
 * envFrom first (in order, later sources win), then env in order, each value with $(VAR) expanded from
 * what is defined before it ($$ escapes). sources: the ConfigMaps and Secrets to look names up in.
 */
export function environmentOf(container: Container, sources: readonly K8sObject[], secretValue?: SecretValue): ResolvedEnv {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  const configMap = (name: string) => named<ConfigMapObject>(sources, 'ConfigMap', name);
  const secret = (name: string) => named<SecretObject>(sources, 'Secret', name);
  const secretValueOf = (name: string, key: string, stored: string) => (secretValue ? secretValue(name, key, stored) : stored);

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = configMap(from.configMapRef.name);
      if (!cm) {
        if (!from.configMapRef.optional) problems.push(`envFrom: ConfigMap ${from.configMapRef.name} does not exist`);
        continue;
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env[prefix + k] = String(v);
    }
    if (from.secretRef) {
      const s = secret(from.secretRef.name);
      if (!s) {
        if (!from.secretRef.optional) problems.push(`envFrom: Secret ${from.secretRef.name} has no template`);
        continue;
      }
      for (const [k, v] of Object.entries(secretEntries(s))) env[prefix + k] = secretValueOf(s.metadata.name, k, v);
    }
  }

  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = String(e.value).replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name?: string) => {
        if (name === undefined) return '$';
        if (name in env) return env[name];
        problems.push(`${e.name}: $(${name}) is not defined before it, so the kubelet leaves it as it is`);
        return whole;
      });
    } else if (e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.configMapKeyRef;
      const v = configMap(ref.name)?.data?.[ref.key];
      if (v === undefined) {
        if (!ref.optional) problems.push(`${e.name}: ConfigMap ${ref.name} has no key ${ref.key}`);
      } else env[e.name] = String(v);
    } else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const s = secret(ref.name);
      const entries = s ? secretEntries(s) : {};
      if (!(ref.key in entries)) {
        if (!ref.optional) problems.push(`${e.name}: Secret ${ref.name} has no key ${ref.key} (in its template)`);
      } else env[e.name] = secretValueOf(ref.name, ref.key, entries[ref.key]);
    } else if (e.valueFrom) {
      // fieldRef and resourceFieldRef: known only in the cluster
      env[e.name] = `<${e.name} from the downward api>`;
    } else {
      env[e.name] = '';
    }
  }
  return { env, problems };
}

/** the names a container's environment defines, whatever their values */
export function providedVariables(container: Container, sources: readonly K8sObject[]): string[] {
  return Object.keys(environmentOf(container, sources).env).sort();
}

// ---- network policy decisions -------------------------------------------------------------------------

/** one end of a connection: a pod in the manifests, or a pod of some other namespace */
export interface Endpoint {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports?: readonly { name?: string; containerPort: number; protocol?: string }[];
}

export function endpointOf(w: Workload): Endpoint {
  return {
    name: w.metadata.name,
    namespace: namespaceOf(w),
    labels: podLabels(w),
    ports: w.spec.template.spec.containers.flatMap((c) => c.ports ?? []),
  };
}

function namespaceLabels(ms: readonly K8sObject[], namespace: string): Labels {
  const ns = named(ms, 'Namespace', namespace);
  return { ...(ns?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': namespace };
}

const isolates = (np: NetworkPolicyObject, type: 'Ingress' | 'Egress') =>
  np.spec.policyTypes ? np.spec.policyTypes.includes(type) : type === 'Ingress' || (np.spec.egress ?? []).length > 0;

function peerMatches(ms: readonly K8sObject[], np: NetworkPolicyObject, peer: NetworkPolicyPeer, other: Endpoint): boolean {
  if (peer.ipBlock) return false; // pod traffic is judged by pod and namespace, not by address
  const sameNamespace = other.namespace === namespaceOf(np);
  if (peer.namespaceSelector) {
    if (!selects(peer.namespaceSelector, namespaceLabels(ms, other.namespace))) return false;
  } else if (!sameNamespace) return false;
  return peer.podSelector ? selects(peer.podSelector, other.labels) : true;
}

function portMatches(ports: NetworkPolicyPort[] | undefined, target: Endpoint, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
    return (target.ports ?? []).some((cp) => cp.name === p.port && cp.containerPort === port && (cp.protocol ?? 'TCP') === protocol);
  });
}

/** whether `from` may open a connection to `to` on port/protocol under the manifests' NetworkPolicies */
export function allowed(ms: readonly K8sObject[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  const policies = ofKind<NetworkPolicyObject>(ms, 'NetworkPolicy');
  const egressPolicies = policies.filter(
    (np) => namespaceOf(np) === from.namespace && selects(np.spec.podSelector, from.labels) && isolates(np, 'Egress'),
  );
  // a pod no policy selects for a direction is not isolated in that direction
  const egressOk =
    egressPolicies.length === 0 ||
    egressPolicies.some((np) =>
      (np.spec.egress ?? []).some(
        (rule) =>
          (!rule.to || rule.to.length === 0 || rule.to.some((peer) => peerMatches(ms, np, peer, to))) &&
          portMatches(rule.ports, to, port, protocol),
      ),
    );
  const ingressPolicies = policies.filter(
    (np) => namespaceOf(np) === to.namespace && selects(np.spec.podSelector, to.labels) && isolates(np, 'Ingress'),
  );
  const ingressOk =
    ingressPolicies.length === 0 ||
    ingressPolicies.some((np) =>
      (np.spec.ingress ?? []).some(
        (rule) =>
          (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(ms, np, peer, from))) &&
          portMatches(rule.ports, to, port, protocol),
      ),
    );
  return egressOk && ingressOk;
}
