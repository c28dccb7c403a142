// Writes deploy/k8s/data-tier/kafka-topics.yaml: one Strimzi KafkaTopic per topic of libs/events/src/lib/topics.ts
// (allTopicSpecs, dead-letter twins included), with its partitions and settings, three replicas each.
//   npm run topics:render                 write it
//   npm run topics:render -- --check      change nothing; exit 1 when the file is stale (tools/delivery-check runs it)
// reads the TypeScript source directly (Node strips its types), so it needs no build.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';

// the TypeScript source itself, which Node runs with its types stripped (a path built at run time, so the
// scripts' typecheck does not ask for allowImportingTsExtensions)
const TOPICS_SOURCE = new URL('../../libs/events/src/lib/topics.ts', import.meta.url);

const ROOT = resolve(import.meta.dirname, '../..');
export const TOPICS_FILE = 'deploy/k8s/data-tier/kafka-topics.yaml';
// the Kafka resource of deploy/k8s/data-tier/kafka.yaml, which the topic operator watches
const CLUSTER = 'ecom';
const REPLICAS = 3;

/** the file's text for the topics as listed */
export function renderTopics(specs) {
  const header = [
    '# generated from libs/events/src/lib/topics.ts by npm run topics:render — do not edit',
    `# every topic the platform uses, dead-letter topics included, on ${REPLICAS} brokers; the broker's`,
    '# min.insync.replicas (kafka.yaml) applies to each, so one broker down loses no acknowledged event.',
  ];
  const docs = specs.map((t) =>
    [
      'apiVersion: kafka.strimzi.io/v1',
      'kind: KafkaTopic',
      'metadata:',
      `  name: ${t.name}`,
      '  labels:',
      `    strimzi.io/cluster: ${CLUSTER}`,
      'spec:',
      `  topicName: ${t.name}`,
      `  partitions: ${t.partitions}`,
      `  replicas: ${REPLICAS}`,
      ...(t.config ? ['  config:', ...Object.entries(t.config).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
    ].join('\n'),
  );
  return `${header.join('\n')}\n${docs.join('\n---\n')}\n`;
}

async function main() {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const { allTopicSpecs } = await import(TOPICS_SOURCE.href);
  const path = join(ROOT, TOPICS_FILE);
  const text = renderTopics(allTopicSpecs());
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (values.check) {
    if (current === text) return 0;
    console.error(`${TOPICS_FILE} does not match libs/events/src/lib/topics.ts; run npm run topics:render and commit the result`);
    return 1;
  }
  if (current === text) console.log(`${TOPICS_FILE} is up to date`);
  else {
    writeFileSync(path, text);
    console.log(`wrote ${TOPICS_FILE}`);
  }
  return 0;
}

if (import.meta.filename === process.argv[1]) process.exitCode = await main();
