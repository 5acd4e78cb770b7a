import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { AuditRecordRepository, NewAuditRecord, Person } from '../repositories/audit-record.repository';
import { AUDITED, toAuditRecord } from '../use-cases/audit-entries';

type Named = Person & { firmId: string; id: string };

/** Who the events name, so a record can show a name beside an id (whatever order events come in). */
function peopleIn(topic: Topic, event: EventEnvelope): Named[] {
  const { firmId } = event;
  if (topic === Topic.StaffAdded) {
    const data = (event as EventEnvelope<Topic.StaffAdded>).data;
    return [{ firmId, id: data.userId, name: data.name, email: data.email }];
  }
  if (topic === Topic.ContactAdded) {
    const data = (event as EventEnvelope<Topic.ContactAdded>).data;
    return [{ firmId, id: data.contactId, name: `${data.firstName} ${data.lastName}`.trim(), email: data.email }];
  }
  if (topic === Topic.ContactUpdated) {
    const { contactId, changed } = (event as EventEnvelope<Topic.ContactUpdated>).data;
    const name =
      changed.firstName !== undefined && changed.lastName !== undefined
        ? `${changed.firstName} ${changed.lastName}`.trim()
        : null;
    return name || changed.email ? [{ firmId, id: contactId, name, email: changed.email ?? null }] : [];
  }
  if (topic === Topic.InviteSent) {
    const data = (event as EventEnvelope<Topic.InviteSent>).data;
    return [{ firmId, id: data.contactId, name: null, email: data.email }];
  }
  return [];
}

/**
 * Turns the events of every audited topic into records, a batch at a time: one insertMany per
 * batch. The record's id is the event's id, so an event delivered twice (or handled again after
 * a crash before the inbox write) still leaves exactly one record.
 */
@Injectable()
export class AuditEventsHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly records: AuditRecordRepository,
  ) {}

  onModuleInit(): void {
    const topics = new Set<Topic>([...(Object.keys(AUDITED) as Topic[]), Topic.ContactAdded, Topic.ContactUpdated]);
    for (const topic of topics) {
      const batch = async (events: EventEnvelope[]) => this.record(topic, events);
      this.events.on(topic, async (event) => batch([event]), batch);
    }
  }

  private async record(topic: Topic, events: EventEnvelope[]): Promise<void> {
    const records = events.map((event) => toAuditRecord(topic, event)).filter((r): r is NewAuditRecord => r !== null);
    await this.records.rememberPeople(events.flatMap((event) => peopleIn(topic, event)));
    await this.records.insertMany(records);
  }
}
