import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DeadLetterPublisher } from './dead-letter.publisher';
import type { KafkaConnection } from './kafka-client';
import { KafkaPublisher } from './kafka-publisher';
import { RpcErrorPassThroughFilter } from './rpc-error-pass-through.filter';

/**
 * Producer-side Kafka wiring for a service: one publisher and a dead-letter publisher on top of it; handler
 * errors reach the batch transport as thrown (`RpcErrorPassThroughFilter`).
 */
@Module({})
export class MessagingModule {
  static forRoot(connection: KafkaConnection): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: KafkaPublisher, useFactory: () => new KafkaPublisher(connection) },
        {
          provide: DeadLetterPublisher,
          useFactory: (publisher: KafkaPublisher) => new DeadLetterPublisher(publisher, connection.clientId),
          inject: [KafkaPublisher],
        },
        { provide: APP_FILTER, useClass: RpcErrorPassThroughFilter },
      ],
      exports: [KafkaPublisher, DeadLetterPublisher],
    };
  }
}
