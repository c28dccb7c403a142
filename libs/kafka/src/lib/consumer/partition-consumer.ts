import type { MessageHandler } from '@nestjs/microservices';
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EventEnvelope, TopicName } from '@ecom/events';
import { runWithCorrelation } from '@ecom/observability';
import { CONSUMER_MAX_BATCH, HEADER_EVENT_ID } from '../constants';
import type { KafkaMetrics } from '../metrics/kafka-metrics';
import { inConsumerSpans } from '../tracing/event-tracing';
import { EventContext, type WithinEvent } from './event-context';
import type { EventHandlerExtras } from './event-handler.decorator';
import type { OffsetCommitter } from './offset-committer';
import { processBatch, processMessage, type Outcome, type ProcessDeps } from './process-message';

export interface FetchedBatch {
  readonly topic: TopicName;
  /** the topic's name on the broker (with the namespace's prefix) */
  readonly physical: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
}

export interface BatchControls {
  /** moves the partition's fetch position past a handled message */
  readonly resolveOffset: (offset: string) => void;
  readonly heartbeat: () => Promise<void>;
  /** false once the consumer stops or the partition went to another member: leave the rest */
  readonly current: () => boolean;
}

export interface PartitionConsumerDeps {
  readonly handler: (topic: TopicName) => MessageHandler | undefined;
  readonly committer: OffsetCommitter;
  readonly stopping: () => boolean;
  /** counts the messages being handled, so shutdown can wait for them */
  readonly inFlight: (delta: 1 | -1) => void;
  readonly process: (topic: TopicName, partition: number, heartbeat: () => Promise<void>) => Omit<ProcessDeps, 'handle'>;
  readonly metrics: KafkaMetrics;
}

/**
 * what a fetched batch of one partition goes through: each message alone for an @EventHandler
 * (processMessage), consecutive messages together for an @EventBatchHandler (processBatch), in
 * offset order either way. a message's offset is resolved and handed to the committer once it is
 * handled or in the dead-letter topic; a batch left early is fetched again from there.
 */
export class PartitionConsumer {
  constructor(
    private readonly groupId: string,
    private readonly deps: PartitionConsumerDeps,
  ) {}

  async batch(fetched: FetchedBatch, controls: BatchControls): Promise<void> {
    const handler = this.deps.handler(fetched.topic);
    if (!handler) throw new Error(`no handler for ${fetched.topic}`);
    const together = (handler.extras as EventHandlerExtras | undefined)?.batch === true;
    const size = together ? CONSUMER_MAX_BATCH : 1;
    for (let from = 0; from < fetched.messages.length; from += size) {
      if (this.deps.stopping() || !controls.current()) return;
      await this.part(handler, together, fetched, fetched.messages.slice(from, from + size), controls);
    }
  }

  /** one message, or up to CONSUMER_MAX_BATCH of a batch handler's, through the handler */
  private async part(
    handler: MessageHandler,
    together: boolean,
    fetched: FetchedBatch,
    messages: KafkaMessage[],
    controls: BatchControls,
  ): Promise<void> {
    const { topic, partition } = fetched;
    const labels = { messaging_destination_name: topic, messaging_consumer_group_name: this.groupId };
    const last = messages[messages.length - 1];
    let within: WithinEvent | undefined;
    const call = async (input: EventEnvelope | EventEnvelope[]) => {
      const result: unknown = await handler(input, new EventContext([topic, partition, last, within]));
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    };
    const started = performance.now();
    this.deps.inFlight(1);
    try {
      // continues the trace of the request that staged each event (its traceparent header)
      await inConsumerSpans(
        messages.map((m) => ({ topic, partition, offset: m.offset, group: this.groupId, headers: m.headers })),
        async (spans: Span[]) => {
          if (messages.length > 1) within = withinEvents(messages, spans);
          const deps = this.deps.process(topic, partition, controls.heartbeat);
          const outcomes: Outcome[] = together
            ? await processBatch({ topic, partition, messages }, { ...deps, handleMany: (events) => call(events) })
            : [await processMessage({ topic, partition, message: messages[0] }, { ...deps, handle: (event) => call(event) })];
          // each message's share of the time, so the histogram stays per message
          const seconds = (performance.now() - started) / 1000 / messages.length;
          for (const [i, outcome] of outcomes.entries()) {
            const counted = { ...labels, outcome: outcome === 'handled' ? 'handled' : 'dead_lettered' };
            this.deps.metrics.consumed.inc(counted);
            this.deps.metrics.processDuration.observe(counted, seconds);
            if (outcome !== 'handled') spans[i].setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
          }
        },
      );
    } finally {
      this.deps.inFlight(-1);
    }
    this.deps.committer.handled(fetched.physical, partition, last.offset);
    controls.resolveOffset(last.offset);
    await controls.heartbeat();
  }
}

/** each event of a batch handled as if alone: its own message's span (found by the event-id header) and correlation id */
function withinEvents(messages: readonly KafkaMessage[], spans: readonly Span[]): WithinEvent {
  const spanOf = new Map<string, Span>();
  for (const [i, m] of messages.entries()) {
    const id = m.headers?.[HEADER_EVENT_ID];
    if (id !== undefined) spanOf.set(String(Array.isArray(id) ? id[0] : id), spans[i]);
  }
  return (event, work) => {
    const span = spanOf.get(event.id);
    const run = () => runWithCorrelation(event.correlationId, work);
    return span ? context.with(trace.setSpan(context.active(), span), run) : run();
  };
}
