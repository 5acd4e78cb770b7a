import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { deadLetterTopic, Topic } from '@cp/contracts';
import { lastValueFrom } from 'rxjs';
import { KAFKA_PRODUCER } from './event-publisher';
import { deadLetterMessages } from './metrics';

/** Where a consumed message came from: kept on its dead letter. */
export interface MessageOrigin {
  key: string | null;
  partition: number;
  offset: string;
}

/** Parks a message that cannot be handled, with the reason, so the consumer can move on. */
@Injectable()
export class DeadLetters {
  private readonly logger = new Logger(DeadLetters.name);

  constructor(@Inject(KAFKA_PRODUCER) private readonly client: ClientKafka) {}

  async park(topic: Topic, value: unknown, reason: string, origin?: MessageOrigin): Promise<void> {
    this.logger.error(
      { topic, reason, partition: origin?.partition, offset: origin?.offset },
      'event parked on dead-letter topic',
    );
    deadLetterMessages.inc({ topic });
    await this.client.connect();
    await lastValueFrom(
      this.client.emit(deadLetterTopic(topic), {
        key: origin?.key ?? null,
        value: value ?? null,
        headers: {
          'x-dead-letter-reason': reason.slice(0, 1000),
          'x-original-topic': topic,
          'x-original-partition': String(origin?.partition ?? ''),
          'x-original-offset': String(origin?.offset ?? ''),
        },
      }),
    );
  }
}
