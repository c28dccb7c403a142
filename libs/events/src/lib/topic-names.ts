import type { TopicSpec } from './topics';

/**
 * the broker's names for the platform's topics and consumer groups: the configured prefix (empty
 * by default) before the logical name. code speaks logical names; only the kafka clients see these.
 */
export class TopicNames {
  constructor(readonly prefix: string) {}

  physical(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  /** the logical name of a topic read from the broker; undefined when it is not one of ours */
  logical(physical: string): string | undefined {
    return physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : undefined;
  }

  group(groupId: string): string {
    return `${this.prefix}${groupId}`;
  }

  specs(specs: readonly TopicSpec[]): TopicSpec[] {
    return specs.map((s) => ({ ...s, name: this.physical(s.name) }));
  }
}
