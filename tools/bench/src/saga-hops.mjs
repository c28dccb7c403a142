// where the saga's time goes, hop by hop, for a run whose topics are still there:
//   BENCH_KEEP=1 npm run bench -- --only=saga --rates=10
//   node tools/bench/src/saga-hops.mjs <topic prefix the bench printed, e.g. bench-1a2b3c4d.>
// each event's envelope says when it was staged (occurredAt); its kafka timestamp says when the
// relay sent it. prints p50, p90 and max of each hop over the orders that went all the way.
import { Kafka, logLevel } from 'kafkajs';

const prefix = process.argv[2];
if (!prefix) {
  console.error('usage: node tools/bench/src/saga-hops.mjs <topic prefix, e.g. bench-1a2b3c4d.>');
  process.exit(2);
}
const kafka = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
const topics = ['order.placed', 'stock.reserved', 'order.confirmed'];
const seen = {};
const consumer = kafka.consumer({ groupId: `saga-hops-${Date.now()}` });
await consumer.connect();
await consumer.subscribe({ topics: topics.map((t) => prefix + t), fromBeginning: true });
await consumer.run({
  eachMessage: async ({ topic, message }) => {
    const envelope = JSON.parse(message.value.toString());
    const orderId = envelope.payload.orderId;
    (seen[orderId] ??= {})[topic.slice(prefix.length)] = { staged: Date.parse(envelope.occurredAt), sent: Number(message.timestamp) };
  },
});
// the topics are small: a few seconds read them to the end
await new Promise((r) => setTimeout(r, 8_000));
await consumer.disconnect();

const orders = Object.values(seen).filter((s) => topics.every((t) => s[t]));
const quantile = (values, q) => values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];
const hops = [
  ['order.placed staged → sent (order relay)', (s) => s['order.placed'].sent - s['order.placed'].staged],
  ['order.placed sent → stock.reserved staged (product-service)', (s) => s['stock.reserved'].staged - s['order.placed'].sent],
  ['stock.reserved staged → sent (Mongo relay)', (s) => s['stock.reserved'].sent - s['stock.reserved'].staged],
  ['stock.reserved sent → order.confirmed staged (order-service)', (s) => s['order.confirmed'].staged - s['stock.reserved'].sent],
  ['order.confirmed staged → sent (order relay)', (s) => s['order.confirmed'].sent - s['order.confirmed'].staged],
];
console.log(`${orders.length} orders`);
for (const [name, hop] of hops) {
  const values = orders.map(hop);
  console.log(`${name.padEnd(62)} p50 ${quantile(values, 0.5)} ms  p90 ${quantile(values, 0.9)} ms  max ${Math.max(...values)} ms`);
}
