import type { Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { waitFor } from './wait-for';

/** reads a topic from the beginning with a throwaway group until a matching message shows up */
export async function findMessage(
  kafka: Kafka,
  topic: string,
  match: (m: KafkaMessage) => boolean,
  timeoutMs = 30_000,
): Promise<KafkaMessage> {
  const consumer = kafka.consumer({ groupId: `it-reader-${randomUUID()}` });
  let found: KafkaMessage | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!found && match(message)) found = message;
      },
    });
    return await waitFor(`a matching message on ${topic}`, () => found, { timeoutMs });
  } finally {
    await consumer.disconnect();
  }
}
