import Handlebars from 'handlebars';

/**
 * The preset onboarding invite. Handlebars escapes every {{value}}, so a personal message
 * with markup arrives as text; the plain-text part is rendered without HTML escaping.
 */
const SUBJECT = '{{firm.name}} invited you to their secure client portal';

const HTML = `<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;max-width:560px;margin:auto">
  <h2 style="color:#1f4b99">{{firm.name}}</h2>
  <p>Hello {{contact.firstName}},</p>
  <p>{{inviter.name}} at {{firm.name}} has invited you to their secure client portal, where you can exchange documents with the firm.</p>
  {{#if message}}<blockquote style="border-left:3px solid #1f4b99;margin:16px 0;padding:4px 12px;white-space:pre-line">{{message}}</blockquote>{{/if}}
  <p style="margin:28px 0"><a href="{{link}}" style="background:#1f4b99;color:#fff;padding:12px 22px;border-radius:4px;text-decoration:none">Create Account</a></p>
  <p style="font-size:13px;color:#52606d">This invitation expires on {{expiresAt}}. If the button does not work, copy this address into your browser:<br>{{link}}</p>
</body></html>`;

const TEXT = `{{firm.name}}

Hello {{contact.firstName}},

{{inviter.name}} at {{firm.name}} has invited you to their secure client portal, where you can exchange documents with the firm.
{{#if message}}

"{{message}}"
{{/if}}

Create your account: {{link}}

This invitation expires on {{expiresAt}}.
`;

export interface InviteEmailModel {
  firm: { name: string };
  contact: { firstName: string; lastName: string };
  inviter: { name: string };
  message: string | null;
  link: string;
  expiresAt: string;
}

const html = Handlebars.compile<InviteEmailModel>(HTML, { strict: true, knownHelpersOnly: true });
const text = Handlebars.compile<InviteEmailModel>(TEXT, { noEscape: true, knownHelpersOnly: true });
const subject = Handlebars.compile<InviteEmailModel>(SUBJECT, { noEscape: true, knownHelpersOnly: true });

export function renderOnboardingInvite(model: InviteEmailModel): { subject: string; html: string; text: string } {
  return { subject: subject(model).replace(/[\r\n]+/g, ' '), html: html(model), text: text(model) };
}
