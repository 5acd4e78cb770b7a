export * from './clients.dto';
export * from './contacts.dto';
export * from './paging.dto';
export * from './staff.dto';
export * from './transforms';
export * from './invites.dto';
export * from './templates.dto';
export * from './notifications.dto';
