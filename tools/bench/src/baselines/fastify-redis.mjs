// the hot read's raw baseline: bare Fastify answering GET /api/products/:id with the value the
// product cache keeps in Redis for that id, as it is (no Nest, no logging, no metrics, no guards).
//   node fastify-redis.mjs <port> <redis url> <key prefix>
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const [port, url, prefix] = process.argv.slice(2);
const redis = new Redis(url, { keyPrefix: prefix });
const app = Fastify({ logger: false });
app.get('/api/products/:id', async (req, reply) => {
  const hit = await redis.get(`product:${req.params.id}`);
  if (!hit) return reply.code(404).send({ title: 'no such product' });
  return reply.type('application/json').send(hit.slice(hit.indexOf('|') + 1));
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.send?.('ready');
// a normal exit on SIGTERM, so --cpu-prof writes its profile
process.once('SIGTERM', () => process.exit(0));
