import { TemplateSource } from './email-template';

export interface PresetTemplate extends TemplateSource {
  id: string;
  name: string;
}

/** Templates every firm has; a firm's own templates are stored per firm. */
export const PRESET_TEMPLATES: PresetTemplate[] = [
  {
    id: 'preset-onboarding-invite',
    name: 'Onboarding invite',
    subject: '{{firm.name}} invited you to their secure client portal',
    body: `Hello {{contact.firstName}},

{{inviter.name}} at {{firm.name}} has invited you to their secure client portal, where you can exchange documents with the firm.
{{#if message}}

{{message}}
{{/if}}`,
  },
  {
    id: 'preset-reminder',
    name: 'Invite reminder',
    subject: 'Reminder: your {{firm.name}} client portal invitation',
    body: `Hello {{contact.firstName}},

This is a friendly reminder that {{firm.name}} invited you to their secure client portal. Your invitation is still waiting for you.`,
  },
  {
    id: 'preset-plain',
    name: 'Plain',
    subject: 'A message from {{firm.name}}',
    body: `Hello {{contact.firstName}},

{{message}}`,
  },
];

export const DEFAULT_INVITE_TEMPLATE = PRESET_TEMPLATES[0];

export const REMINDER_TEMPLATE = PRESET_TEMPLATES[1];

/** Staff notices: fixed wording, not offered to firms as templates. */
export const ACCEPTED_NOTICE_TEMPLATE: TemplateSource = {
  subject: '{{contact.firstName}} {{contact.lastName}} accepted your portal invitation',
  body: `Hello {{inviter.name}},

{{contact.firstName}} {{contact.lastName}} accepted your invitation and can now use the {{firm.name}} client portal.`,
};

export const UPLOAD_NOTICE_TEMPLATE: TemplateSource = {
  subject: '{{contact.firstName}} {{contact.lastName}} uploaded {{file.name}}',
  body: `Hello {{inviter.name}},

{{contact.firstName}} {{contact.lastName}} uploaded {{file.name}} ({{file.size}}) to the {{firm.name}} client portal.`,
};

/** A password-reset link, to the account's own address (staff or contact). */
export const PASSWORD_RESET_TEMPLATE: TemplateSource = {
  subject: 'Reset your {{firm.name}} password',
  body: `Hello {{contact.firstName}},

Someone (hopefully you) asked to reset the password of your {{firm.name}} account. The link below works once, for 30 minutes. If you did not ask, ignore this email: your password stays as it is.`,
};

/** To staff: a contact with an expired or revoked link asked for a new one. */
export const NEW_LINK_NOTICE_TEMPLATE: TemplateSource = {
  subject: '{{contact.firstName}} {{contact.lastName}} asked for a new portal link',
  body: `Hello,

{{contact.firstName}} {{contact.lastName}} opened an old {{firm.name}} portal link that no longer works and asked for a new one. Nothing was sent to them: open the contact to send a new invite.`,
};

/** The portal's second step. The code is not in the subject: lock screens show subjects. */
export const TWO_STEP_CODE_TEMPLATE: TemplateSource = {
  subject: 'Your sign-in code for the {{firm.name}} client portal',
  body: `Hello,

Your sign-in code is {{code}}

It works once, for 10 minutes. If you did not just try to sign in to the {{firm.name}} client portal, someone may know your password: change it.`,
};
