import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { fixKafkajsIdleTimer } from './kafkajs-idle-timer';

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS to the brokers: `true` for system CAs, or options (a private CA). */
  readonly ssl?: boolean | { readonly ca: readonly string[] };
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
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

const saslOptionsOf = ({
  mechanism,
  username,
  password,
}: NonNullable<KafkaConnection['sasl']>): SASLOptions => {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
};

export const createKafka = ({ brokers, clientId, ssl, sasl }: KafkaConnection): Kafka => {
  fixKafkajsIdleTimer((message) => new Logger('kafkajs').warn(message));
  return new Kafka({
    clientId,
    brokers: [...brokers],
    ...(ssl === undefined ? {} : { ssl: typeof ssl === 'boolean' ? ssl : { ca: [...ssl.ca] } }),
    ...(sasl === undefined ? {} : { sasl: saslOptionsOf(sasl) }),
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
  });
};
