// elasticsearch: a snapshot of every open index whose name does not start with a dot (aliases
// included, cluster state not), taken into a filesystem repository in the node's path.repo
// (tools/stack/servers/elasticsearch.sh) and copied to repo/. a document's text is its _id and
// _source. restore copies repo/ back into path.repo, registers it read-only, removes the backup's
// aliases from the indices that hold them now, deletes the backup's indices and restores them.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RowDigest, steadySnapshot } from './contents.mjs';
import { giveToStack } from './native-stack.mjs';
import { UserError } from '../ui.mjs';

const shape = { groups: 'indices', items: null, unit: 'documents' };
const REPO = 'repo';

/** a request to the node; resolves its JSON body (null for a 404 when allowed), rejects on errors */
async function es(stack, method, path, body, { allow404 = false } = {}) {
  const res = await fetch(`http://${stack.host}:${stack.settings.ELASTICSEARCH_PORT}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 404 && allow404) return null;
  const text = await res.text();
  if (!res.ok) throw new Error(`elasticsearch: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : {};
}

const indices = async (stack) =>
  (await es(stack, 'GET', '/_cat/indices?format=json&h=index&expand_wildcards=open'))
    .map((i) => i.index)
    .filter((i) => !i.startsWith('.'))
    .sort();

async function digestIndex(stack, index) {
  await es(stack, 'POST', `/${encodeURIComponent(index)}/_refresh`);
  const digest = new RowDigest();
  let page = await es(stack, 'POST', `/${encodeURIComponent(index)}/_search?scroll=1m`, { size: 1000, sort: ['_doc'] });
  try {
    while (page.hits.hits.length) {
      for (const hit of page.hits.hits) digest.add(JSON.stringify([hit._id, hit._source]));
      page = await es(stack, 'POST', '/_search/scroll', { scroll: '1m', scroll_id: page._scroll_id });
    }
  } finally {
    await es(stack, 'DELETE', '/_search/scroll', { scroll_id: page._scroll_id }, { allow404: true });
  }
  const aliases = Object.keys((await es(stack, 'GET', `/${encodeURIComponent(index)}/_alias`))[index]?.aliases ?? {}).sort();
  return { ...digest.result(shape.unit), aliases };
}

async function inventory(stack, names) {
  const out = {};
  const present = await indices(stack);
  for (const index of names ?? present) if (present.includes(index)) out[index] = await digestIndex(stack, index);
  return { [shape.groups]: out };
}

/** the node must have been started with path.repo (a node from before that needs a restart) */
async function checkRepoPath(stack) {
  const nodes = (await es(stack, 'GET', '/_nodes/_local/settings?filter_path=nodes.*.settings.path.repo')).nodes ?? {};
  const paths = Object.values(nodes).flatMap((n) => [n.settings?.path?.repo ?? []].flat());
  if (!paths.includes(stack.settings.ELASTICSEARCH_SNAPSHOTS)) {
    throw new UserError(
      'elasticsearch was started without the snapshot directory (path.repo) the stack now configures: restart it with `npm run stack -- down elasticsearch` and `npm run stack -- up elasticsearch`, then run again',
    );
  }
}

/** registers a filesystem repository at <path.repo>/<name> */
const register = (stack, name, readonly) => es(stack, 'PUT', `/_snapshot/${name}`, { type: 'fs', settings: { location: name, readonly } });

async function backup(stack, dir, tag) {
  await checkRepoPath(stack);
  const names = await indices(stack);
  const version = Object.values((await es(stack, 'GET', '/_nodes/_local?filter_path=nodes.*.version')).nodes)[0].version;
  if (!names.length) return { version, saved: {}, contents: { [shape.groups]: {} } };
  const repo = `backup-${tag}`;
  const location = join(stack.settings.ELASTICSEARCH_SNAPSHOTS, repo);
  await register(stack, repo, false);
  try {
    const { contents } = await steadySnapshot('elasticsearch', {
      inventory: () => inventory(stack, names),
      take: async () => {
        const { snapshot } = await es(stack, 'PUT', `/_snapshot/${repo}/${tag}?wait_for_completion=true`, {
          indices: names.join(','),
          include_global_state: false,
        });
        if (snapshot.state !== 'SUCCESS')
          throw new Error(`elasticsearch: the snapshot ended ${snapshot.state}: ${JSON.stringify(snapshot.failures)}`);
      },
      discard: () => es(stack, 'DELETE', `/_snapshot/${repo}/${tag}`),
    });
    cpSync(location, join(dir, REPO), { recursive: true });
    return { version, saved: { repository: REPO, snapshot: tag }, contents };
  } finally {
    await es(stack, 'DELETE', `/_snapshot/${repo}`, undefined, { allow404: true });
    rmSync(location, { recursive: true, force: true });
  }
}

async function restore(stack, dir, entry, tag) {
  const names = Object.keys(entry.contents[shape.groups]);
  if (!names.length) return;
  await checkRepoPath(stack);
  const repo = `restore-${tag}`;
  const location = join(stack.settings.ELASTICSEARCH_SNAPSHOTS, repo);
  if (!existsSync(join(dir, entry.saved.repository))) throw new Error(`elasticsearch: ${join(dir, entry.saved.repository)} is missing`);
  cpSync(join(dir, entry.saved.repository), location, { recursive: true });
  await giveToStack(stack, location);
  await register(stack, repo, true);
  try {
    // an alias of the backup held by another index now (a rebuild moved it) would point at both
    const aliases = [...new Set(names.flatMap((n) => entry.contents[shape.groups][n].aliases))];
    const held = aliases.length ? ((await es(stack, 'GET', `/_alias/${aliases.join(',')}`, undefined, { allow404: true })) ?? {}) : {};
    const actions = Object.entries(held).flatMap(([index, { aliases: a }]) =>
      Object.keys(a)
        .filter((alias) => aliases.includes(alias))
        .map((alias) => ({ remove: { index, alias } })),
    );
    if (actions.length) await es(stack, 'POST', '/_aliases', { actions });
    const present = new Set(await indices(stack));
    for (const index of names) if (present.has(index)) await es(stack, 'DELETE', `/${encodeURIComponent(index)}`);
    const { snapshot } = await es(stack, 'POST', `/_snapshot/${repo}/${entry.saved.snapshot}/_restore?wait_for_completion=true`, {
      indices: names.join(','),
      include_global_state: false,
      include_aliases: true,
    });
    if (snapshot.shards.failed) throw new Error(`elasticsearch: ${snapshot.shards.failed} shards failed to restore`);
    await es(stack, 'GET', `/_cluster/health/${names.map(encodeURIComponent).join(',')}?wait_for_status=yellow&timeout=60s`);
  } finally {
    await es(stack, 'DELETE', `/_snapshot/${repo}`, undefined, { allow404: true });
    rmSync(location, { recursive: true, force: true });
  }
}

export default { name: 'elasticsearch', shape, backup, restore, inventory };
