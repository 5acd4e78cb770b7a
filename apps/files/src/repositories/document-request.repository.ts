import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { createEvent, Topic, type DocumentRequestStatus } from '@cp/contracts';
import { outboxPlugin, withEvents, WithOutbox } from '@cp/messaging';
import { afterCursor, eventContext, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import type { PageOptions } from './file.repository';

/** A firm asks contacts of a client for documents; it shows in their portal To-Do until done. */
@Schema({ collection: 'document_requests', timestamps: true, versionKey: false })
export class DocumentRequest implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) clientId!: string;
  @Prop({ required: true }) title!: string;
  @Prop({ type: String, default: null }) description!: string | null;
  @Prop({ type: [String], required: true }) contactIds!: string[];
  @Prop({ type: Date, default: null }) dueDate!: Date | null;
  @Prop({ type: String, required: true }) status!: DocumentRequestStatus;
  @Prop({ type: [String], default: [] }) fileIds!: string[];
  @Prop({ type: String, default: null }) fulfilledBy!: string | null;
  @Prop({ type: Date, default: null }) fulfilledAt!: Date | null;
  @Prop({ required: true }) createdBy!: string;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const DocumentRequestSchema = SchemaFactory.createForClass(DocumentRequest);
DocumentRequestSchema.plugin(outboxPlugin);
DocumentRequestSchema.index({ firmId: 1, clientId: 1, createdAt: 1, _id: 1 });
DocumentRequestSchema.index({ firmId: 1, contactIds: 1, status: 1 });

export type NewDocumentRequest = Pick<
  DocumentRequest,
  '_id' | 'clientId' | 'title' | 'description' | 'contactIds' | 'dueDate' | 'createdBy'
>;

@Injectable()
export class DocumentRequestRepository {
  constructor(@InjectModel(DocumentRequest.name) private readonly requests: Model<DocumentRequest>) {}

  async insert(scope: FirmScope, request: NewDocumentRequest): Promise<DocumentRequest> {
    const created = createEvent({
      topic: Topic.DocumentRequestCreated,
      firmId: scope.firmId,
      ...eventContext(),
      key: request._id,
      data: {
        requestId: request._id,
        clientId: request.clientId,
        title: request.title,
        contactIds: request.contactIds,
      },
    });
    const doc = await this.requests.create(
      withEvents({ ...request, firmId: scope.firmId, status: 'open' as const }, [created]),
    );
    return doc.toObject<DocumentRequest>();
  }

  /** A request that asks this contact (open or already done: a second file may follow). */
  async findFor(scope: FirmScope, contactId: string, requestId: string): Promise<DocumentRequest | null> {
    return this.requests
      .findOne(scoped<DocumentRequest>(scope, { _id: requestId, contactIds: contactId }))
      .lean<DocumentRequest>()
      .exec();
  }

  async pageOfClient(scope: FirmScope, clientId: string, page: PageOptions): Promise<DocumentRequest[]> {
    return this.page(scope, { clientId }, page);
  }

  async pageOpenFor(scope: FirmScope, contactId: string, page: PageOptions): Promise<DocumentRequest[]> {
    return this.page(scope, { contactIds: contactId, status: 'open' }, page);
  }

  /** Marks it done with the file that fulfils it; a second upload for it adds its file. */
  async fulfil(scope: FirmScope, requestId: string, contactId: string, fileId: string): Promise<void> {
    await this.requests.updateOne(scoped<DocumentRequest>(scope, { _id: requestId, status: 'open' }), {
      $set: { status: 'done', fulfilledBy: contactId, fulfilledAt: new Date() },
    });
    await this.requests.updateOne(scoped<DocumentRequest>(scope, { _id: requestId }), {
      $addToSet: { fileIds: fileId },
    });
  }

  private async page(scope: FirmScope, filter: Record<string, unknown>, page: PageOptions): Promise<DocumentRequest[]> {
    return this.requests
      .find(scoped<DocumentRequest>(scope, { ...filter, ...afterCursor(page.cursor) }), { pendingEvents: 0 })
      .sort(PAGE_ORDER)
      .limit(page.limit + 1)
      .lean<DocumentRequest[]>()
      .exec();
  }
}
