import { ConfigError, DataServiceConfig, loadConfig, requiredVariables } from '.';

const valid = {
  PORT: '3001',
  INTERNAL_API_TOKEN: 'x'.repeat(20),
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  KAFKA_BROKERS: '127.0.0.1:9092,kafka-1:9092',
};

describe('loadConfig', () => {
  it('parses numbers and booleans and fills defaults', () => {
    const config = loadConfig(DataServiceConfig, { ...valid, OUTBOX_RELAY_ENABLED: 'false' });
    expect(config.PORT).toBe(3001);
    expect(config.OUTBOX_POLL_MS).toBe(2000);
    expect(config.OUTBOX_RELAY_ENABLED).toBe(false);
    expect(config.KAFKA_CREATE_TOPICS).toBe(true);
    expect(loadConfig(DataServiceConfig, { ...valid, KAFKA_CREATE_TOPICS: 'false' }).KAFKA_CREATE_TOPICS).toBe(false);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names every invalid or missing variable', () => {
    const attempt = () =>
      loadConfig(DataServiceConfig, { PORT: '70000', KAFKA_BROKERS: 'nohost', INTERNAL_API_TOKEN: 'short' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const text = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'KAFKA_BROKERS', 'MONGO_URL', 'INTERNAL_API_TOKEN']) expect(text).toContain(name);
    }
  });

  it('keeps traces off by default and wants a collector URL when they are on', () => {
    expect(loadConfig(DataServiceConfig, valid).TRACING_ENABLED).toBe(false);
    expect(() => loadConfig(DataServiceConfig, { ...valid, TRACING_ENABLED: 'true' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    const traced = loadConfig(DataServiceConfig, {
      ...valid,
      TRACING_ENABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.monitoring:4318',
    });
    expect(traced.TRACING_ENABLED).toBe(true);
  });

  it('treats an empty variable as missing', () => {
    expect(() => loadConfig(DataServiceConfig, { ...valid, MONGO_URL: '' })).toThrow(/MONGO_URL/);
  });
});

describe('requiredVariables', () => {
  it('lists what has no default and is not optional', () => {
    expect(requiredVariables(DataServiceConfig)).toEqual(['INTERNAL_API_TOKEN', 'KAFKA_BROKERS', 'MONGO_URL', 'PORT']);
  });
});
