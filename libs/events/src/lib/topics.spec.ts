import { allTopicSpecs, deadLetterTopic, Topics } from './topics';

describe('topic retention', () => {
  const config = (name: string) => allTopicSpecs().find((s) => s.name === name)?.config;

  it('keeps every event analytics is rebuilt from', () => {
    for (const t of [Topics.UserRegistered, Topics.OrderPlaced, Topics.OrderConfirmed, Topics.OrderRejected, Topics.OrderCancelled])
      expect(config(t)).toEqual({ 'retention.ms': '-1' });
  });

  it('keeps each product’s latest upsert and deletion, all search is rebuilt from', () => {
    expect(config(Topics.ProductUpserted)).toEqual({ 'cleanup.policy': 'compact' });
    expect(config(Topics.ProductDeleted)).toEqual({ 'cleanup.policy': 'compact' });
  });

  it('leaves the saga’s stock topics and the dead-letter topics at the broker’s default', () => {
    expect(config(Topics.StockReserved)).toBeUndefined();
    expect(config(deadLetterTopic(Topics.OrderPlaced))).toBeUndefined();
  });
});
