import { DataServiceConfig, kafkaBrokers } from '@cp/config';
import { KafkaConfig, logLevel, LogEntry } from 'kafkajs';

const LEVEL_NAMES: Record<number, string> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs as one JSON line per entry, like the rest of the service. */
function jsonLogCreator(service: string) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      process.stdout.write(
        `${JSON.stringify({ level: LEVEL_NAMES[level] ?? 'info', time: new Date().toISOString(), service, component: 'kafkajs', msg: message, ...rest })}\n`,
      );
    };
}

/** The one Kafka client configuration of the system. */
export function kafkaClientConfig(config: DataServiceConfig, service: string): KafkaConfig {
  return {
    clientId: `${config.STACK_PREFIX}${service}`,
    brokers: kafkaBrokers(config),
    logLevel: logLevel.WARN,
    logCreator: jsonLogCreator(service),
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
  };
}

/** The consumer-group name of a service; each service reads every topic it handles once. */
export function consumerGroup(config: DataServiceConfig, service: string): string {
  return `${config.STACK_PREFIX}${service}`;
}
