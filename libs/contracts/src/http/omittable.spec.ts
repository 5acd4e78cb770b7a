import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UpdateClientDto } from './clients.dto';
import { UpdateContactDto } from './contacts.dto';
import { UpdatePortalProfileDto } from './invites.dto';
import { UpdateTemplateDto } from './templates.dto';

// Found by the API fuzz test: `{"kind": null}` was accepted and stored, and the client then
// answered with a kind its schema does not allow. Leaving a field out is fine; null is not.
describe('update bodies: a field may be left out, but not set to null', () => {
  const errorsOf = (type: new () => object, body: object) =>
    validateSync(plainToInstance(type, body), { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);

  it.each([
    [UpdateClientDto, 'kind'],
    [UpdateClientDto, 'name'],
    [UpdateContactDto, 'firstName'],
    [UpdateContactDto, 'lastName'],
    [UpdateContactDto, 'clientIds'],
    [UpdatePortalProfileDto, 'firstName'],
    [UpdateTemplateDto, 'subject'],
  ] as [new () => object, string][])('%p refuses %s: null', (type, field) => {
    expect(errorsOf(type, { [field]: null })).toEqual([field]);
    expect(errorsOf(type, {})).toEqual([]);
  });

  it('keeps null where it means "remove": a contact\'s email and phone', () => {
    expect(errorsOf(UpdateContactDto, { email: null, phone: null })).toEqual([]);
  });
});
