import { Injectable } from '@nestjs/common';
import { CreateDocumentRequestDto } from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { ContactDirectory } from '../repositories/contact-directory.repository';
import { DocumentRequest, DocumentRequestRepository } from '../repositories/document-request.repository';
import type { PageOptions } from '../repositories/file.repository';
import { SharingRules } from './sharing-rules';

/** The firm asks contacts of a client for documents; each asked contact sees it in the To-Do. */
@Injectable()
export class DocumentRequests {
  constructor(
    private readonly requests: DocumentRequestRepository,
    private readonly directory: ContactDirectory,
    private readonly sharing: SharingRules,
  ) {}

  /** A client's requests; another firm's client answers 404 like one that does not exist. */
  async listOfClient(scope: FirmScope, clientId: string, page: PageOptions): Promise<DocumentRequest[]> {
    const [, requests] = await Promise.all([
      this.directory.assertClient(scope, clientId),
      this.requests.pageOfClient(scope, clientId, page),
    ]);
    return requests;
  }

  async create(
    scope: FirmScope,
    staffUserId: string,
    clientId: string,
    input: CreateDocumentRequestDto,
  ): Promise<DocumentRequest> {
    await this.directory.assertClient(scope, clientId);
    // Only contacts who can sign in would ever see the request: the same rule as sharing.
    const contactIds = await this.sharing.assertCanReceive(scope, clientId, input.contactIds);
    return this.requests.insert(scope, {
      _id: randomUUID(),
      clientId,
      title: input.title,
      description: input.description ?? null,
      contactIds,
      dueDate: input.dueDate ? new Date(input.dueDate) : null,
      createdBy: staffUserId,
    });
  }
}
