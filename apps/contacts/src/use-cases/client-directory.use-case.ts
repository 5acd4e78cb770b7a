import { Injectable } from '@nestjs/common';
import { CreateClientDto, DomainError, ErrorCode, UpdateClientDto } from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { ClientRepository } from '../repositories/client.repository';
import { Client } from '../repositories/client.schema';
import { ContactRepository } from '../repositories/contact.repository';

export const clientNotFound = () => new DomainError(ErrorCode.NotFound, 'No such client.');

/** Clients of a firm: households and businesses. */
@Injectable()
export class ClientDirectory {
  constructor(
    private readonly clients: ClientRepository,
    private readonly contacts: ContactRepository,
  ) {}

  async create(scope: FirmScope, input: CreateClientDto): Promise<Client> {
    return this.clients.insert(scope, input);
  }

  async get(scope: FirmScope, clientId: string): Promise<Client> {
    const client = await this.clients.findById(scope, clientId);
    if (!client) throw clientNotFound();
    return client;
  }

  async update(scope: FirmScope, clientId: string, input: UpdateClientDto): Promise<Client> {
    const client = await this.clients.update(scope, clientId, input);
    if (!client) throw clientNotFound();
    return client;
  }

  /** Contacts stay (they may belong to other clients); they are no longer linked to this one. */
  async remove(scope: FirmScope, clientId: string): Promise<void> {
    if (!(await this.clients.remove(scope, clientId))) throw clientNotFound();
    await this.contacts.unlinkClient(scope, clientId);
  }
}
