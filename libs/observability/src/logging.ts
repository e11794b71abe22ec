import { randomUUID } from 'node:crypto';
import pino, { type Logger as PinoInstance } from 'pino';
import { storage, Store } from 'nestjs-pino/storage';
import { maskText } from './mask';

export type LogLevelName = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** Nest level names → pino's. */
const PINO_LEVELS: Record<LogLevelName, pino.LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

let root: PinoInstance | undefined;

/**
 * The process's JSON logger: one line per event with `service`, the Nest context and, inside a batch, its
 * `correlationId`. Every string argument is masked (`maskText`): account and phone numbers never reach a log.
 */
export const rootLogger = (service: string, level: LogLevelName): PinoInstance =>
  (root ??= pino({
    level: PINO_LEVELS[level],
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg: unknown) => (typeof arg === 'string' ? maskText(arg) : arg));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
  }));

/** Runs `work` with every log line inside it carrying `correlationId` (a batch, a transfer). */
export const withCorrelationId = <T>(correlationId: string, work: () => Promise<T>): Promise<T> => {
  const parent = storage.getStore()?.logger ?? root;
  if (!parent) return work();
  return storage.run(new Store(parent.child({ correlationId })), work);
};

export const newCorrelationId = (): string => randomUUID();
