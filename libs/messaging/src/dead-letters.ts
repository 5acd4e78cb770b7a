import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientKafka, KafkaContext } from '@nestjs/microservices';
import { deadLetterTopic, Topic } from '@cp/contracts';
import { lastValueFrom } from 'rxjs';
import { KAFKA_PRODUCER } from './event-publisher';

/** Parks a message that cannot be handled, with the reason, so the consumer can move on. */
@Injectable()
export class DeadLetters {
  private readonly logger = new Logger(DeadLetters.name);

  constructor(@Inject(KAFKA_PRODUCER) private readonly client: ClientKafka) {}

  async park(topic: Topic, value: unknown, reason: string, context?: KafkaContext): Promise<void> {
    const message = context?.getMessage();
    this.logger.error(
      { topic, reason, partition: context?.getPartition(), offset: message?.offset },
      'event parked on dead-letter topic',
    );
    await this.client.connect();
    await lastValueFrom(
      this.client.emit(deadLetterTopic(topic), {
        key: message?.key ?? null,
        value: value ?? null,
        headers: {
          'x-dead-letter-reason': reason.slice(0, 1000),
          'x-original-topic': topic,
          'x-original-partition': String(context?.getPartition() ?? ''),
          'x-original-offset': String(message?.offset ?? ''),
        },
      }),
    );
  }
}
