import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

/** kafkajs logs routed through Nest's logger; its INFO chatter is dropped. */
const nestLogCreator = (_level: logLevel) => {
  const logger = new Logger('kafkajs');
  return ({ namespace, level, log }: LogEntry): void => {
    const { message, error } = log as { message: string; error?: string };
    const text = `[${namespace}] ${message}${error ? `: ${error}` : ''}`;
    if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
  };
};

export const createKafka = ({ brokers, clientId }: KafkaConnection): Kafka =>
  new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
  });
