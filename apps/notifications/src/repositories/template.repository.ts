import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createEvent, EmailTemplateChangedData, OutboxEvent, Topic } from '@cp/contracts';
import { appendEvents, EventLog, withEvents } from '@cp/messaging';
import { eventContext, FirmScope, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { EmailTemplate } from './template.schema';

const HIDDEN = { pendingEvents: 0 } as const;

function templateChanged(
  firmId: string,
  templateId: string,
  name: string,
  change: EmailTemplateChangedData['change'],
): OutboxEvent {
  return createEvent({
    topic: Topic.EmailTemplateChanged,
    firmId,
    ...eventContext(),
    key: templateId,
    data: { templateId, name, change },
  });
}

/** The firm's own templates; each change is recorded with its EmailTemplateChanged (audit trail). */
@Injectable()
export class TemplateRepository {
  constructor(
    @InjectModel(EmailTemplate.name) private readonly templates: Model<EmailTemplate>,
    private readonly eventLog: EventLog,
  ) {}

  async insert(scope: FirmScope, t: Pick<EmailTemplate, 'name' | 'subject' | 'body'>): Promise<EmailTemplate> {
    const _id = randomUUID();
    const created = templateChanged(scope.firmId, _id, t.name, 'created');
    return (await this.templates.create(withEvents({ ...t, _id, firmId: scope.firmId }, [created]))).toObject();
  }

  async list(scope: FirmScope): Promise<EmailTemplate[]> {
    return this.templates
      .find(scoped<EmailTemplate>(scope), HIDDEN)
      .sort({ createdAt: 1, _id: 1 })
      .limit(500)
      .lean<EmailTemplate[]>()
      .exec();
  }

  async findById(scope: FirmScope, id: string): Promise<EmailTemplate | null> {
    return this.templates
      .findOne(scoped<EmailTemplate>(scope, { _id: id }), HIDDEN)
      .lean<EmailTemplate>()
      .exec();
  }

  async update(
    scope: FirmScope,
    id: string,
    set: Partial<Pick<EmailTemplate, 'name' | 'subject' | 'body'>>,
  ): Promise<EmailTemplate | null> {
    const current = await this.findById(scope, id);
    if (!current) return null;
    const updated = templateChanged(scope.firmId, id, set.name ?? current.name, 'updated');
    return this.templates
      .findOneAndUpdate(
        scoped<EmailTemplate>(scope, { _id: id }),
        appendEvents<EmailTemplate>({ $set: set }, [updated]),
        {
          new: true,
          projection: HIDDEN,
        },
      )
      .lean<EmailTemplate>()
      .exec();
  }

  /** The deletion is recorded first: a crash in between leaves an event for a template deleted again on retry. */
  async remove(scope: FirmScope, id: string): Promise<boolean> {
    const current = await this.findById(scope, id);
    if (!current) return false;
    await this.eventLog.record(templateChanged(scope.firmId, id, current.name, 'deleted'));
    return (await this.templates.deleteOne(scoped<EmailTemplate>(scope, { _id: id }))).deletedCount === 1;
  }
}
