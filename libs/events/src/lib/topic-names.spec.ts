import { TopicNames } from './topic-names';
import { allTopicSpecs, deadLetterTopic, Topics } from './topics';

describe('TopicNames', () => {
  it('puts the prefix before topics, dead-letter topics and groups, and takes it off again', () => {
    const names = new TopicNames('it-1a2b.');
    expect(names.physical(Topics.OrderPlaced)).toBe('it-1a2b.order.placed');
    expect(names.physical(deadLetterTopic(Topics.OrderPlaced))).toBe('it-1a2b.order.placed.dlt');
    expect(names.group('order-service')).toBe('it-1a2b.order-service');
    expect(names.logical('it-1a2b.order.placed')).toBe('order.placed');
    expect(names.logical('order.placed')).toBeUndefined();
    expect(names.specs(allTopicSpecs()).every((s) => s.name.startsWith('it-1a2b.'))).toBe(true);
  });

  it('changes nothing without a prefix', () => {
    const names = new TopicNames('');
    expect(names.physical(Topics.StockReserved)).toBe('stock.reserved');
    expect(names.logical('stock.reserved')).toBe('stock.reserved');
    expect(names.specs(allTopicSpecs())).toEqual(allTopicSpecs());
  });
});
