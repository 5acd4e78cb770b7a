import { Injectable, OnModuleInit } from '@nestjs/common';
import { Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { DeliverEmail, UploadNoticePayload } from '../use-cases/deliver-email.use-case';

/** A contact uploaded a file: the staff member who invited them gets one email about it. */
@Injectable()
export class FileUploadedHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly deliver: DeliverEmail,
  ) {}

  onModuleInit(): void {
    this.events.on(Topic.FileUploaded, async (event) => {
      const { uploaderKind, uploadedBy, fileId, name, size } = event.data;
      if (uploaderKind !== 'contact') return; // staff know what they upload themselves
      const payload: UploadNoticePayload = { fileId, name, size };
      await this.deliver.enqueueNotice({
        kind: 'upload-notice',
        id: `upload:${fileId}`,
        firmId: event.firmId,
        inviteId: null,
        contactId: uploadedBy,
        payload,
        correlationId: event.correlationId,
      });
    });
  }
}
