// the delivery rules for the kubernetes manifests, each a function from the parsed manifests to the
// problems it finds ("Kind/name: what is wrong"); an empty list means the rule holds
import type { GatewayRoute } from './gateway-routes';
import {
  allowed,
  containersOf,
  deployments,
  endpointOf,
  environmentOf,
  id,
  namespaceOf,
  ofKind,
  podLabels,
  selects,
  statefulSets,
  workloads,
  type Container,
  type Endpoint,
  type HpaObject,
  type IngressObject,
  type K8sObject,
  type NetworkPolicyObject,
  type PdbObject,
  type Probe,
  type SecretObject,
  type ServiceObject,
  type Workload,
} from './manifests';

export type Policy = (ms: readonly K8sObject[]) => string[];

// ---- quantities ----------------------------------------------------------------------------------------

/** cpu in millicores ("250m", "1", 0.5) */
export function cpuMillis(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = String(q).match(/^(\d+(?:\.\d+)?)(m?)$/);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** memory in bytes ("256Mi", "1G", 1024) */
export function memoryBytes(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = String(q).match(/^(\d+(?:\.\d+)?)([kMGT]i?|Ki)?$/);
  if (!m) return undefined;
  const unit = MEMORY_UNITS[m[2] ?? ''];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

// ---- probes, resources, security --------------------------------------------------------------------------

const hasHandler = (p: Probe | undefined) => !!p && !!(p.httpGet || p.tcpSocket || p.exec || p.grpc);

/** every workload container has startup, readiness and liveness probes; services probe /health/ready and /health/live */
export const probes: Policy = (ms) => {
  const out: string[] = [];
  for (const w of workloads(ms)) {
    for (const c of w.spec.template.spec.containers) {
      const where = `${id(w)} container ${c.name}`;
      for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
        if (!hasHandler(c[kind])) out.push(`${where}: no ${kind}`);
      }
      if (w.kind !== 'Deployment') continue;
      if (c.readinessProbe && c.readinessProbe.httpGet?.path !== '/health/ready')
        out.push(`${where}: readinessProbe must GET /health/ready`);
      if (c.livenessProbe && c.livenessProbe.httpGet?.path !== '/health/live') out.push(`${where}: livenessProbe must GET /health/live`);
    }
  }
  return out;
};

/** every container asks for cpu and memory and is capped, and asks no more than its cap */
export const resources: Policy = (ms) => {
  const out: string[] = [];
  for (const w of workloads(ms)) {
    for (const c of containersOf(w)) {
      const where = `${id(w)} container ${c.name}`;
      const r = c.resources ?? {};
      for (const [what, parse] of [
        ['cpu', cpuMillis],
        ['memory', memoryBytes],
      ] as const) {
        const request = parse(r.requests?.[what]);
        const limit = parse(r.limits?.[what]);
        if (request === undefined) out.push(`${where}: no ${what} request`);
        if (limit === undefined) out.push(`${where}: no ${what} limit`);
        if (request !== undefined && limit !== undefined && request > limit) out.push(`${where}: ${what} request above its limit`);
      }
    }
  }
  return out;
};

export interface SecurityOptions {
  /** workloads whose image must write to its root filesystem (documented in deploy/README.md) */
  readonly writableRoot?: readonly string[];
  /** the uid and gid every Deployment (our images) runs as */
  readonly appUser?: number;
  readonly appGroup?: number;
}

/**
 * the restricted pod security standard and more: non-root with a numeric uid and gid, no privilege
 * escalation, all capabilities dropped, seccomp RuntimeDefault, a read-only root filesystem (with /tmp
 * on an emptyDir) unless listed, no service account token, no service links, nothing from the host
 */
export const podSecurity =
  (opts: SecurityOptions = {}): Policy =>
  (ms) => {
    const out: string[] = [];
    for (const w of workloads(ms)) {
      const pod = w.spec.template.spec;
      const psc = pod.securityContext ?? {};
      if (pod.automountServiceAccountToken !== false) out.push(`${id(w)}: automountServiceAccountToken must be false`);
      if (pod.enableServiceLinks !== false) out.push(`${id(w)}: enableServiceLinks must be false`);
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push(`${id(w)}: uses the host's network, pid or ipc namespace`);
      for (const v of pod.volumes ?? []) if (v.hostPath) out.push(`${id(w)}: hostPath volume ${v.name}`);
      const writable = (opts.writableRoot ?? []).includes(w.metadata.name);
      for (const c of containersOf(w)) {
        const where = `${id(w)} container ${c.name}`;
        const csc = c.securityContext ?? {};
        if ((csc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${where}: runAsNonRoot must be true`);
        const uid = csc.runAsUser ?? psc.runAsUser;
        const gid = csc.runAsGroup ?? psc.runAsGroup;
        if (!Number.isInteger(uid) || (uid as number) <= 0) out.push(`${where}: runAsUser must be a numeric non-root uid`);
        if (!Number.isInteger(gid) || (gid as number) < 0) out.push(`${where}: runAsGroup must be a numeric gid`);
        if (w.kind === 'Deployment' && opts.appUser !== undefined && uid !== opts.appUser)
          out.push(`${where}: runAsUser must be ${opts.appUser}`);
        if (w.kind === 'Deployment' && opts.appGroup !== undefined && gid !== opts.appGroup)
          out.push(`${where}: runAsGroup must be ${opts.appGroup}`);
        if (csc.privileged) out.push(`${where}: privileged`);
        if (csc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation must be false`);
        if (!(csc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where}: capabilities must drop ALL`);
        const added = (csc.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
        if (added.length > 0) out.push(`${where}: adds capabilities ${added.join(', ')}`);
        if ((csc.seccompProfile ?? psc.seccompProfile)?.type !== 'RuntimeDefault')
          out.push(`${where}: seccompProfile must be RuntimeDefault`);
        if (!writable && csc.readOnlyRootFilesystem !== true) out.push(`${where}: readOnlyRootFilesystem must be true`);
        if (!writable && w.kind === 'Deployment') {
          const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
          if (!tmp || !(pod.volumes ?? []).some((v) => v.name === tmp.name && v.emptyDir)) out.push(`${where}: needs an emptyDir at /tmp`);
        }
      }
    }
    return out;
  };

// ---- rollouts and shutdown ------------------------------------------------------------------------------

/** rolling updates that add one pod before taking one away */
export const rollingUpdates: Policy = (ms) => {
  const out: string[] = [];
  for (const d of deployments(ms)) {
    const s = d.spec.strategy;
    if (s?.type !== 'RollingUpdate') out.push(`${id(d)}: strategy must be RollingUpdate`);
    if (String(s?.rollingUpdate?.maxSurge) !== '1') out.push(`${id(d)}: maxSurge must be 1`);
    if (String(s?.rollingUpdate?.maxUnavailable) !== '0') out.push(`${id(d)}: maxUnavailable must be 0`);
  }
  return out;
};

/** how long a preStop hook sleeps: the sleep handler, or exec of sleep N (directly or through a shell) */
export function preStopSleepSeconds(c: Container): number | undefined {
  const pre = c.lifecycle?.preStop;
  if (pre?.sleep) return Number(pre.sleep.seconds);
  const cmd = pre?.exec?.command ?? [];
  if (/(^|\/)sleep$/.test(cmd[0] ?? '') && cmd.length === 2) return Number(cmd[1]);
  const shell = cmd.length === 3 && /(^|\/)(ba)?sh$/.test(cmd[0]) && cmd[1] === '-c' ? cmd[2].match(/^\s*sleep\s+(\d+)\s*$/) : null;
  return shell ? Number(shell[1]) : undefined;
}

/**
 * a service pod keeps serving while it leaves the endpoints (preStop sleep), then drains for
 * SHUTDOWN_TIMEOUT_MS, set explicitly; the grace period covers both, with room to spare
 */
export const gracefulShutdown: Policy = (ms) => {
  const out: string[] = [];
  for (const d of deployments(ms)) {
    const grace = d.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    for (const c of d.spec.template.spec.containers) {
      const where = `${id(d)} container ${c.name}`;
      const sleep = preStopSleepSeconds(c);
      if (sleep === undefined || !(sleep > 0)) {
        out.push(`${where}: needs a preStop sleep (lifecycle.preStop.sleep or exec sleep N)`);
        continue;
      }
      const drain = environmentOf(c, ms).env['SHUTDOWN_TIMEOUT_MS'];
      if (drain === undefined || !/^\d+$/.test(drain)) {
        out.push(`${where}: SHUTDOWN_TIMEOUT_MS must be set explicitly (in its ConfigMap)`);
        continue;
      }
      const needed = sleep + Number(drain) / 1000;
      if (!(grace > needed)) {
        out.push(
          `${where}: terminationGracePeriodSeconds ${grace} must exceed the preStop sleep (${sleep} s) plus the drain (${Number(drain) / 1000} s)`,
        );
      }
    }
  }
  return out;
};

// ---- availability and scaling -----------------------------------------------------------------------------

const sameNamespace = (a: K8sObject, b: K8sObject) => namespaceOf(a) === namespaceOf(b);

/** every Deployment has a PodDisruptionBudget that lets at least one pod go at a time */
export const disruptionBudgets: Policy = (ms) => {
  const out: string[] = [];
  const pdbs = ofKind<PdbObject>(ms, 'PodDisruptionBudget');
  for (const d of deployments(ms)) {
    const mine = pdbs.filter((p) => sameNamespace(p, d) && selects(p.spec.selector, podLabels(d)));
    if (mine.length === 0) out.push(`${id(d)}: no PodDisruptionBudget selects its pods`);
    for (const p of mine) {
      const { maxUnavailable, minAvailable } = p.spec;
      if (maxUnavailable === undefined && minAvailable === undefined) out.push(`${id(p)}: sets neither maxUnavailable nor minAvailable`);
      if (maxUnavailable !== undefined && (String(maxUnavailable) === '0' || String(maxUnavailable) === '0%'))
        out.push(`${id(p)}: maxUnavailable 0 blocks every drain`);
      if (minAvailable !== undefined && String(minAvailable) === '100%') out.push(`${id(p)}: minAvailable 100% blocks every drain`);
    }
  }
  return out;
};

export interface ScalingOptions {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
}

/** every Deployment is scaled by an autoscaling/v2 HPA on cpu, and leaves spec.replicas to it */
export const autoscaling =
  (opts: ScalingOptions): Policy =>
  (ms) => {
    const out: string[] = [];
    const hpas = ofKind<HpaObject>(ms, 'HorizontalPodAutoscaler');
    for (const d of deployments(ms)) {
      if (d.spec.replicas !== undefined) out.push(`${id(d)}: spec.replicas is set; the HorizontalPodAutoscaler owns it`);
      const mine = hpas.filter(
        (h) => sameNamespace(h, d) && h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name,
      );
      if (mine.length !== 1) {
        out.push(`${id(d)}: ${mine.length === 0 ? 'no' : mine.length} HorizontalPodAutoscalers target it`);
        continue;
      }
      const h = mine[0];
      if (h.apiVersion !== 'autoscaling/v2') out.push(`${id(h)}: must be autoscaling/v2`);
      if ((h.spec.minReplicas ?? 1) !== opts.minReplicas) out.push(`${id(h)}: minReplicas must be ${opts.minReplicas}`);
      if (h.spec.maxReplicas !== opts.maxReplicas) out.push(`${id(h)}: maxReplicas must be ${opts.maxReplicas}`);
      const cpu = (h.spec.metrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
      if (cpu?.resource?.target.type !== 'Utilization' || cpu.resource.target.averageUtilization !== opts.cpuUtilization)
        out.push(`${id(h)}: must target ${opts.cpuUtilization} % average cpu utilization`);
    }
    return out;
  };

/** the container port of a service's management listener (/metrics, /docs, the readiness details) */
export const MANAGEMENT_PORT_NAME = 'management';

/**
 * every Deployment has a Service that reaches a container port, and a ServiceAccount without a token;
 * Prometheus scrapes it on its management port, never the public one
 */
export const serviceWiring: Policy = (ms) => {
  const out: string[] = [];
  for (const d of deployments(ms)) {
    const pod = d.spec.template.spec;
    const ports = pod.containers.flatMap((c) => c.ports ?? []);
    const services = ofKind<ServiceObject>(ms, 'Service').filter(
      (s) => sameNamespace(s, d) && s.spec.selector && selects({ matchLabels: s.spec.selector }, podLabels(d)),
    );
    if (services.length === 0) out.push(`${id(d)}: no Service selects its pods`);
    for (const s of services) {
      for (const p of s.spec.ports ?? []) {
        const target = p.targetPort ?? p.port;
        if (!ports.some((cp) => cp.containerPort === target || cp.name === target))
          out.push(`${id(s)}: port ${p.port} targets ${target}, which no container exposes`);
      }
    }
    const sa = ofKind(ms, 'ServiceAccount').find((a) => sameNamespace(a, d) && a.metadata.name === pod.serviceAccountName) as
      (K8sObject & { automountServiceAccountToken?: boolean }) | undefined;
    if (!pod.serviceAccountName || !sa) out.push(`${id(d)}: needs its own ServiceAccount`);
    else if (sa.automountServiceAccountToken !== false) out.push(`${id(sa)}: automountServiceAccountToken must be false`);
    const a = d.spec.template.metadata?.annotations ?? {};
    const port = Number(a['prometheus.io/port']);
    if (a['prometheus.io/scrape'] !== 'true' || a['prometheus.io/path'] !== '/metrics' || !ports.some((p) => p.containerPort === port))
      out.push(`${id(d)}: needs prometheus.io/scrape, /port (a container port) and /path (/metrics) annotations`);
    else if (!ports.some((p) => p.containerPort === port && p.name === MANAGEMENT_PORT_NAME))
      out.push(
        `${id(d)}: prometheus.io/port ${port} must be its container port named ${MANAGEMENT_PORT_NAME}; /metrics is not on the public port`,
      );
  }
  return out;
};

// ---- images ---------------------------------------------------------------------------------------------

export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(ref: string): ImageRef {
  const [nameTag, digest] = ref.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  const tagged = colon > slash;
  return { repository: tagged ? nameTag.slice(0, colon) : nameTag, tag: tagged ? nameTag.slice(colon + 1) : undefined, digest };
}

export interface ImageOptions {
  /** repositories built here (ecom/<service>, under any registry); every other image must name an exact version */
  readonly own: RegExp;
  /** what the tags of our own images must look like (prod: a released version) */
  readonly ownTag?: RegExp;
  /** repositories whose releases are major.minor, so x.y is exact (postgres since 10) */
  readonly twoPartVersions?: readonly string[];
}

/** every image has a tag or digest, never latest; third-party images exact versions; ours as the overlay demands */
export const images =
  (opts: ImageOptions): Policy =>
  (ms) => {
    const out: string[] = [];
    for (const w of workloads(ms)) {
      for (const c of containersOf(w)) {
        const where = `${id(w)} container ${c.name}`;
        if (!c.image) {
          out.push(`${where}: no image`);
          continue;
        }
        const img = parseImage(c.image);
        if (!img.tag && !img.digest) {
          out.push(`${where}: image ${c.image} has no tag`);
          continue;
        }
        if (img.tag === 'latest') {
          out.push(`${where}: image ${c.image} uses latest`);
          continue;
        }
        const own = opts.own.test(img.repository);
        if (own && opts.ownTag && !(img.tag && opts.ownTag.test(img.tag)))
          out.push(`${where}: image ${c.image} must be tagged like ${opts.ownTag}`);
        const exact = (opts.twoPartVersions ?? []).includes(img.repository) ? /^\d+\.\d+([.-].*)?$/ : /^\d+\.\d+\.\d+([.-].*)?$/;
        if (!own && !img.digest && !exact.test(img.tag ?? '')) out.push(`${where}: image ${c.image} must pin an exact version`);
      }
    }
    return out;
  };

/** a datastore image is the version docker-compose.yml runs, or a patch release of it */
export const imagesMatchCompose =
  (composeImages: readonly string[]): Policy =>
  (ms) => {
    const out: string[] = [];
    const compose = composeImages.map(parseImage);
    for (const w of statefulSets(ms)) {
      for (const c of containersOf(w)) {
        const img = parseImage(c.image ?? '');
        const peer = compose.find((p) => p.repository === img.repository);
        if (!peer) out.push(`${id(w)}: image ${c.image} is not in docker-compose.yml`);
        else if (!(img.tag === peer.tag || img.tag?.startsWith(`${peer.tag}.`)))
          out.push(`${id(w)}: image ${c.image} is not docker-compose.yml's ${img.repository}:${peer.tag}`);
      }
    }
    return out;
  };

// ---- secrets ---------------------------------------------------------------------------------------------

/** what a Secret template may hold: nothing, or an obvious placeholder */
export const PLACEHOLDER = /^(|REPLACE_ME[A-Z0-9_]*|<[^<>]*>)$/;

/** every Secret in the manifests is a template: each value empty or a placeholder */
export const secretsHoldNoValues: Policy = (ms) => {
  const out: string[] = [];
  for (const s of ofKind<SecretObject>(ms, 'Secret')) {
    // a Secret only because its consumer reads nothing else (ECK's roles), labelled so: values that name
    // no credential may be written down
    const isPublic = s.metadata.labels?.[PUBLIC_SECRET] === 'true';
    const holds = (k: string, v: string) => {
      if (PLACEHOLDER.test(v)) return;
      if (isPublic && !SENSITIVE.test(k) && !SENSITIVE.test(v) && !new RegExp(URL_PASSWORD.source, 'i').test(v)) return;
      out.push(`${id(s)}: ${k} holds a value${isPublic ? ' that looks like a credential' : ''}`);
    };
    for (const [k, v] of Object.entries(s.stringData ?? {})) holds(k, String(v ?? ''));
    for (const [k, v] of Object.entries(s.data ?? {})) holds(k, Buffer.from(String(v ?? ''), 'base64').toString('utf8'));
  }
  return out;
};

/** the label of a Secret that holds no credential, only what its consumer reads from Secrets alone */
export const PUBLIC_SECRET = 'ecom.dev/holds-no-credentials';

const SENSITIVE = /PASSWORD|PASSWD|SECRET|PRIVATE_KEY|TOKEN|API_KEY|CREDENTIAL/i;
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/gi;
const ONLY_REFERENCES = /^(\$\([A-Za-z_][A-Za-z0-9_.-]*\))+$/;

/** credentials live in Secrets: no ConfigMap key or literal env value is a password, and no url spells one out */
export const noPlainCredentials: Policy = (ms) => {
  const out: string[] = [];
  const leaks = (where: string, name: string, value: string) => {
    if (SENSITIVE.test(name) && value !== '') out.push(`${where}: ${name} is a credential in plain text; use a Secret`);
    for (const m of value.matchAll(URL_PASSWORD))
      if (!ONLY_REFERENCES.test(m[1])) out.push(`${where}: ${name} spells out a password in a url`);
  };
  for (const cm of ofKind<K8sObject & { data?: Record<string, string> }>(ms, 'ConfigMap')) {
    for (const [k, v] of Object.entries(cm.data ?? {})) leaks(id(cm), k, String(v));
  }
  for (const w of workloads(ms)) {
    for (const c of containersOf(w))
      for (const e of c.env ?? []) if (e.value !== undefined) leaks(`${id(w)} container ${c.name}`, e.name, String(e.value));
  }
  return out;
};

// ---- statefulsets, kafka, namespaces -------------------------------------------------------------------

/** every StatefulSet has its headless Service and keeps its data on claims from volumeClaimTemplates */
export const statefulSetStorage: Policy = (ms) => {
  const out: string[] = [];
  for (const s of statefulSets(ms)) {
    const svc = ofKind<ServiceObject>(ms, 'Service').find((x) => sameNamespace(x, s) && x.metadata.name === s.spec.serviceName);
    if (!s.spec.serviceName || !svc) out.push(`${id(s)}: serviceName must name its headless Service`);
    else {
      if (svc.spec.clusterIP !== 'None') out.push(`${id(svc)}: must be headless (clusterIP: None)`);
      if (!svc.spec.selector || !selects({ matchLabels: svc.spec.selector }, podLabels(s)))
        out.push(`${id(svc)}: does not select ${id(s)}'s pods`);
    }
    const claims = s.spec.volumeClaimTemplates ?? [];
    if (claims.length === 0) out.push(`${id(s)}: no volumeClaimTemplates`);
    const mounted = new Set(containersOf(s).flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)));
    for (const t of claims) {
      if (!mounted.has(t.metadata.name)) out.push(`${id(s)}: claim ${t.metadata.name} is not mounted`);
      if (!memoryBytes(t.spec.resources?.requests?.storage)) out.push(`${id(s)}: claim ${t.metadata.name} requests no storage`);
    }
  }
  return out;
};

/** Kafka runs in KRaft mode: broker and controller roles, a controller quorum, a node id; nothing mentions ZooKeeper */
export const kafkaKraft: Policy = (ms) => {
  const out: string[] = [];
  const kafkas = workloads(ms).filter((w) => containersOf(w).some((c) => parseImage(c.image ?? '').repository.endsWith('kafka')));
  // on Strimzi (the prod data tier): its node pools carry the roles; a quorum of controllers, odd, 3 or more
  const strimzi = ms.filter((m) => m.kind === 'Kafka' && m.apiVersion.startsWith('kafka.strimzi.io/'));
  if (kafkas.length === 0 && strimzi.length === 0) out.push('no Kafka workload');
  for (const k of strimzi) {
    const pools = ms.filter((m) => m.kind === 'KafkaNodePool' && m.metadata.labels?.['strimzi.io/cluster'] === k.metadata.name) as (K8sObject & {
      spec?: { replicas?: number; roles?: string[] };
    })[];
    const controllers = pools.filter((p) => p.spec?.roles?.includes('controller')).reduce((n, p) => n + (p.spec?.replicas ?? 0), 0);
    if (!pools.some((p) => p.spec?.roles?.includes('broker'))) out.push(`${id(k)}: no KafkaNodePool with the broker role`);
    if (controllers < 3 || controllers % 2 === 0)
      out.push(`${id(k)}: ${controllers} KRaft controllers: an odd number, 3 or more, keeps a quorum with one lost`);
  }
  for (const w of kafkas) {
    for (const c of containersOf(w).filter((x) => parseImage(x.image ?? '').repository.endsWith('kafka'))) {
      const env = environmentOf(c, ms).env;
      const roles = (env['KAFKA_PROCESS_ROLES'] ?? '').split(',').map((r) => r.trim());
      if (!roles.includes('broker') || !roles.includes('controller')) out.push(`${id(w)}: KAFKA_PROCESS_ROLES must be broker,controller`);
      if (!env['KAFKA_CONTROLLER_QUORUM_VOTERS']) out.push(`${id(w)}: no KAFKA_CONTROLLER_QUORUM_VOTERS`);
      if (!env['KAFKA_NODE_ID']) out.push(`${id(w)}: no KAFKA_NODE_ID`);
      if (!env['KAFKA_CONTROLLER_LISTENER_NAMES']) out.push(`${id(w)}: no KAFKA_CONTROLLER_LISTENER_NAMES`);
    }
  }
  for (const m of ms) if (/zookeeper/i.test(JSON.stringify(m))) out.push(`${id(m)}: mentions ZooKeeper`);
  return out;
};

const RESTRICTED = ['enforce', 'audit', 'warn'].map((mode) => `pod-security.kubernetes.io/${mode}`);

/** every namespace the manifests use is declared, with the restricted pod security standard enforced, audited and warned */
export const restrictedNamespaces: Policy = (ms) => {
  const out: string[] = [];
  const used = new Set(ms.filter((m) => m.kind !== 'Namespace').map(namespaceOf));
  for (const name of used) {
    const ns = ofKind(ms, 'Namespace').find((n) => n.metadata.name === name);
    if (!ns) {
      out.push(`namespace ${name} is used but not declared`);
      continue;
    }
    for (const label of RESTRICTED) if (ns.metadata.labels?.[label] !== 'restricted') out.push(`${id(ns)}: ${label} must be restricted`);
  }
  return out;
};

// ---- network --------------------------------------------------------------------------------------------

/** a pod of a namespace nothing here should talk to */
const STRANGER: Endpoint = { name: 'a pod elsewhere', namespace: 'somewhere-else', labels: { app: 'stranger' } };

/**
 * deny by default: a default-deny policy for both directions in every namespace with workloads, every
 * workload selected by a policy of its own, and no pod of another namespace able to reach any of them
 * (nor any of them able to reach it)
 */
export const networkIsolation: Policy = (ms) => {
  const out: string[] = [];
  const policies = ofKind<NetworkPolicyObject>(ms, 'NetworkPolicy');
  for (const ns of new Set(workloads(ms).map(namespaceOf))) {
    const deny = policies.find(
      (p) =>
        namespaceOf(p) === ns &&
        Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 &&
        (p.spec.podSelector.matchExpressions ?? []).length === 0 &&
        (['Ingress', 'Egress'] as const).every((t) => (p.spec.policyTypes ?? []).includes(t)) &&
        (p.spec.ingress ?? []).length === 0 &&
        (p.spec.egress ?? []).length === 0,
    );
    if (!deny) out.push(`namespace ${ns}: no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)`);
  }
  for (const w of workloads(ms)) {
    const own = policies.filter(
      (p) =>
        sameNamespace(p, w) && Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0 && selects(p.spec.podSelector, podLabels(w)),
    );
    if (own.length === 0) out.push(`${id(w)}: no NetworkPolicy of its own selects its pods`);
    const me = endpointOf(w);
    for (const p of me.ports ?? []) {
      if (allowed(ms, STRANGER, me, p.containerPort, p.protocol ?? 'TCP'))
        out.push(`${id(w)}: reachable on ${p.containerPort} from any namespace`);
    }
    if (allowed(ms, me, { ...STRANGER, ports: [{ containerPort: 443 }] }, 443)) out.push(`${id(w)}: may connect anywhere`);
  }
  return out;
};

export interface TopologyOptions {
  /** service (Deployment) name -> the workloads it must reach, e.g. order-service -> [postgres, kafka] */
  readonly expected: Readonly<Record<string, readonly string[]>>;
  /** where the ingress controller runs */
  readonly ingressNamespace: string;
  /** where Prometheus runs */
  readonly monitoringNamespace: string;
}

const DNS: Endpoint = {
  name: 'kube-dns',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { containerPort: 53, protocol: 'UDP' },
    { containerPort: 53, protocol: 'TCP' },
  ],
};

/** the port clients use: the target of the first port of a Service that selects the workload */
function clientPort(ms: readonly K8sObject[], w: Workload): number | undefined {
  const svc = ofKind<ServiceObject>(ms, 'Service').find(
    (s) => sameNamespace(s, w) && s.spec.selector && selects({ matchLabels: s.spec.selector }, podLabels(w)),
  );
  const p = svc?.spec.ports?.[0];
  if (!p) return undefined;
  const target = p.targetPort ?? p.port;
  if (typeof target === 'number') return target;
  return endpointOf(w).ports?.find((cp) => cp.name === target)?.containerPort;
}

/**
 * exactly the expected connections between the workloads (both ends' policies agree, on the port the
 * Service names), dns for every service, the ingress controller in to the services' http port and
 * nothing else, Prometheus in to their management port and nothing else, and neither in to a datastore
 */
export const networkTopology =
  (opts: TopologyOptions): Policy =>
  (ms) => {
    const out: string[] = [];
    const all = workloads(ms);
    for (const a of all) {
      const from = endpointOf(a);
      const expected = new Set(opts.expected[a.metadata.name] ?? []);
      for (const b of all) {
        if (a === b) continue;
        const to = endpointOf(b);
        const reachable = (to.ports ?? []).filter((p) => allowed(ms, from, to, p.containerPort, p.protocol ?? 'TCP'));
        if (expected.has(b.metadata.name)) {
          const port = clientPort(ms, b);
          if (port === undefined) out.push(`${id(b)}: no Service names the port its clients use`);
          else if (!allowed(ms, from, to, port)) out.push(`${id(a)} cannot reach ${id(b)} on ${port}`);
        } else if (reachable.length > 0) {
          out.push(`${id(a)} can reach ${id(b)} (on ${reachable.map((p) => p.containerPort).join(', ')}), which its config does not use`);
        }
      }
    }
    for (const name of Object.keys(opts.expected)) if (!all.some((w) => w.metadata.name === name)) out.push(`no workload ${name}`);
    for (const d of deployments(ms)) {
      const me = endpointOf(d);
      if (!allowed(ms, me, DNS, 53, 'UDP') || !allowed(ms, me, DNS, 53, 'TCP'))
        out.push(`${id(d)}: cannot reach kube-dns on 53 (udp and tcp)`);
      const controller: Endpoint = { name: 'ingress controller', namespace: opts.ingressNamespace, labels: {} };
      for (const p of me.ports ?? []) {
        const reaches = allowed(ms, controller, me, p.containerPort);
        if (p.name === 'http' && !reaches)
          out.push(`${id(d)}: the ingress controller (namespace ${opts.ingressNamespace}) cannot reach ${p.containerPort}`);
        if (p.name !== 'http' && reaches)
          out.push(`${id(d)}: the ingress controller can reach ${p.containerPort} (${p.name ?? 'unnamed'}), not only the http port`);
      }
      const scrape = d.spec.template.metadata?.annotations?.['prometheus.io/port'];
      const prometheus: Endpoint = { name: 'prometheus', namespace: opts.monitoringNamespace, labels: {} };
      if (scrape && !allowed(ms, prometheus, me, Number(scrape)))
        out.push(`${id(d)}: Prometheus (namespace ${opts.monitoringNamespace}) cannot scrape ${scrape}`);
      for (const p of (me.ports ?? []).filter((x) => x.name === 'http'))
        if (allowed(ms, prometheus, me, p.containerPort))
          out.push(
            `${id(d)}: Prometheus (namespace ${opts.monitoringNamespace}) can reach the http port ${p.containerPort}; it scrapes the management port`,
          );
    }
    for (const s of statefulSets(ms)) {
      const me = endpointOf(s);
      const controller: Endpoint = { name: 'ingress controller', namespace: opts.ingressNamespace, labels: {} };
      for (const p of me.ports ?? [])
        if (allowed(ms, controller, me, p.containerPort)) out.push(`${id(s)}: the ingress controller can reach ${p.containerPort}`);
    }
    return out;
  };

// ---- ingress --------------------------------------------------------------------------------------------

const REWRITE = 'nginx.ingress.kubernetes.io/rewrite-target';
const BUFFERING = 'nginx.ingress.kubernetes.io/proxy-buffering';

/**
 * the Ingresses route exactly the gateway's /api routes: same paths and kinds of match, same services
 * (on a port their Service has), the same path rewrites and unbuffered streams; ingress class nginx
 */
export const ingressRoutes =
  (routes: readonly GatewayRoute[]): Policy =>
  (ms) => {
    const out: string[] = [];
    const ingresses = ofKind<IngressObject>(ms, 'Ingress');
    const paths = ingresses.flatMap((ing) =>
      (ing.spec.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => ({ ing, host: rule.host, ...p }))),
    );
    for (const ing of ingresses) if (ing.spec.ingressClassName !== 'nginx') out.push(`${id(ing)}: ingressClassName must be nginx`);
    for (const r of routes) {
      // a path the gateway routes twice (`location = /api/users` and `location /api/users`) is two
      // Ingress paths, each compared with the route of its own kind of match
      const twice = routes.some((o) => o !== r && o.path === r.path);
      const kind = r.match === 'exact' ? 'Exact' : 'Prefix';
      const found = paths.filter((p) => p.path === r.path && (!twice || p.pathType === kind));
      if (found.length === 0) out.push(`no Ingress routes ${r.path} (${r.service})`);
      for (const p of found) {
        const where = `${id(p.ing)} ${p.path}`;
        const pathType = r.match === 'exact' ? 'Exact' : 'Prefix';
        if (p.pathType !== pathType) out.push(`${where}: pathType must be ${pathType}, like the gateway's location`);
        const backend = p.backend.service;
        if (backend?.name !== r.service) out.push(`${where}: goes to ${backend?.name ?? 'no service'}, the gateway to ${r.service}`);
        const svc = ofKind<ServiceObject>(ms, 'Service').find((s) => s.metadata.name === backend?.name && sameNamespace(s, p.ing));
        const servicePort = (svc?.spec.ports ?? []).find(
          (sp) => sp.port === backend?.port.number || (!!sp.name && sp.name === backend?.port.name),
        );
        if (backend && !servicePort) out.push(`${where}: Service ${backend.name} has no port ${backend.port.number ?? backend.port.name}`);
        if (servicePort && (servicePort.name === MANAGEMENT_PORT_NAME || servicePort.targetPort === MANAGEMENT_PORT_NAME))
          out.push(`${where}: routes to the management port of ${backend?.name} (metrics, docs), which is not for clients`);
        const rewrite = p.ing.metadata.annotations?.[REWRITE];
        if (rewrite !== r.rewriteTo) out.push(`${where}: rewrites to ${rewrite ?? 'nothing'}, the gateway to ${r.rewriteTo ?? 'nothing'}`);
        const unbuffered = p.ing.metadata.annotations?.[BUFFERING] === 'off';
        if (unbuffered !== r.unbuffered)
          out.push(`${where}: proxy buffering ${unbuffered ? 'off' : 'on'}, the gateway's ${r.unbuffered ? 'off' : 'on'}`);
      }
    }
    for (const p of paths)
      if (!routes.some((r) => r.path === p.path)) out.push(`${id(p.ing)} routes ${p.path}, which the gateway does not`);
    return out;
  };
