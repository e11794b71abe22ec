import { Module, type DynamicModule } from '@nestjs/common';
import { DeadLetterPublisher } from './dead-letter.publisher';
import type { KafkaConnection } from './kafka-client';
import { KafkaPublisher } from './kafka-publisher';

/** Producer-side Kafka wiring for a service: one publisher and a dead-letter publisher on top of it. */
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
      ],
      exports: [KafkaPublisher, DeadLetterPublisher],
    };
  }
}
