import { Logger } from '@nestjs/common';
import { kafkaConfig, loadConfig } from '@ecom/config';
import { createKafka } from './create-kafka';
import { EventProducer } from './event-producer';

describe('createKafka', () => {
  const cfg = loadConfig([kafkaConfig('probe')], {}).kafka;
  let warn: jest.SpyInstance;
  let debug: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("starts the platform's producer without a warning: its partitioner is named, its bounded retries logged at debug", () => {
    new EventProducer(createKafka(cfg));
    expect(warn).not.toHaveBeenCalled();
    expect(debug).toHaveBeenCalledWith(expect.objectContaining({ msg: expect.stringContaining('Limiting retries') }));
  });

  it("still warns with kafkajs' other warnings: a producer that leaves its partitioner to the default", () => {
    createKafka(cfg).producer();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ msg: expect.stringContaining('default partitioner') }));
  });
});
