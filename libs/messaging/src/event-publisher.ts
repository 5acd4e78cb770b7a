import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { OutboxEvent } from '@cp/contracts';
import { lastValueFrom } from 'rxjs';

export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

/** Publishes events and waits for the broker's acknowledgement (acks=all). */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private connected?: Promise<unknown>;

  constructor(@Inject(KAFKA_PRODUCER) private readonly client: ClientKafka) {}

  async publish(event: OutboxEvent): Promise<void> {
    this.connected ??= this.client.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    await lastValueFrom(
      this.client.emit(event.topic, {
        key: event.key,
        value: event.envelope,
        headers: { 'x-correlation-id': event.envelope.correlationId, 'x-event-type': event.envelope.type },
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
