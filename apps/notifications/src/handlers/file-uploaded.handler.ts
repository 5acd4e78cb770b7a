import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { Topic } from '@cp/contracts';
import { EventHandling } from '@cp/messaging';
import { DeliverEmail, UploadNoticePayload } from '../use-cases/deliver-email.use-case';

/** A contact uploaded a file: the staff member who invited them gets one email about it. */
@Controller()
export class FileUploadedHandler {
  constructor(
    private readonly events: EventHandling,
    private readonly deliver: DeliverEmail,
  ) {}

  @EventPattern(Topic.FileUploaded)
  async onFileUploaded(@Payload() value: unknown, @Ctx() ctx: KafkaContext) {
    return this.events.handle(Topic.FileUploaded, value, ctx, async (event) => {
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
