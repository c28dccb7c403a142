import type { Contract } from './contract';
import { envelopeSchema, type EventEnvelope } from './envelope';
import { EventValidationError, parseOrThrow } from './event-validation.error';
import { upcast } from './upcast';

/**
 * parses raw bytes from a topic into an envelope of the contract's current version. the envelope
 * says which version the producer wrote; the handler always gets the current one.
 */
export function readEnvelope(topic: string, contract: Contract, raw: Buffer | string | null): EventEnvelope {
  if (raw === null) throw new EventValidationError(`empty message on ${topic}`, ['value is null']);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    throw new EventValidationError(`message on ${topic} is not JSON`, ['value is not valid JSON']);
  }
  const env = parseOrThrow(envelopeSchema, json, `invalid envelope on ${topic}`);
  if (env.type !== contract.type) {
    throw new EventValidationError(`unexpected event on ${topic}`, [
      `got ${env.type} v${env.version}, expected ${contract.type} v${contract.version}`,
    ]);
  }
  return { ...env, version: contract.version, payload: readPayload(topic, contract, env.version, env.payload) };
}

// older versions are upcast; the next version (its producer deployed first) is read as the current one
// when its payload still fits, because unknown fields are stripped. anything newer needs this consumer upgraded.
function readPayload(topic: string, contract: Contract, version: number, payload: unknown): unknown {
  const { type, version: current, schema } = contract;
  if (version === current) return parseOrThrow(schema, payload, `invalid payload for ${topic}`);
  if (version < current) {
    return parseOrThrow(
      schema,
      upcast(contract, version, payload),
      `invalid payload for ${topic} after upcasting v${version} to v${current}`,
    );
  }
  const behind = `consumer is behind: ${type} v${version} on ${topic} is newer than v${current}`;
  if (version > current + 1) {
    throw new EventValidationError(behind, [
      `only v${current + 1} is tried as v${current}; upgrade the consumer, then replay the dead letter`,
    ]);
  }
  return parseOrThrow(schema, payload, `${behind} and does not parse as v${current}; upgrade the consumer, then replay the dead letter`);
}
