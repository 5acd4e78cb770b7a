import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { portalStatusWords } from '../../apps/web/src/firm/contacts/portal-status';
import { passwordStrength } from '../../apps/web/src/portal/invite/password-strength';

const ROOT = join(__dirname, '..', '..');
const day = (iso: string) => iso.slice(0, 10);

describe('web app', () => {
  it('has a generated API client that matches the built gateway (scripts/web-api.mjs --check)', () => {
    expect(() =>
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'web-api.mjs'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  describe('portal status words on the Contacts section', () => {
    const contact = (
      state: 'not_invited' | 'invited' | 'accepted' | 'revoked' | 'expired',
      lastLoginAt: string | null = null,
      inviteEmail: { status: 'sent' | 'failed'; reason: string | null } | null = null,
    ) => ({ portal: { state, lastLoginAt }, inviteEmail });

    it.each([
      [contact('not_invited'), 'No invite sent', false],
      [contact('invited'), 'Invited – never logged in', false],
      [contact('accepted', '2026-12-02T10:00:00Z'), 'Last login 2026-12-02', true],
      [contact('expired'), 'Invite expired', false],
      [contact('revoked'), 'Invite revoked', false],
    ])('%j reads "%s"', (input, text, accepted) => {
      expect(portalStatusWords(input, day)).toMatchObject({ text, accepted });
    });

    it('names a bounced invite email with its reason', () => {
      const words = portalStatusWords(contact('invited', null, { status: 'failed', reason: '550 no such user' }), day);
      expect(words.emailProblem).toBe('Email bounced: 550 no such user');
      expect(
        portalStatusWords(contact('invited', null, { status: 'sent', reason: null }), day).emailProblem,
      ).toBeNull();
    });
  });

  it('says when a contact asked for a new link, and says nothing otherwise', () => {
    const asked = {
      portal: { state: 'expired' as const, lastLoginAt: null, newLinkRequestedAt: '2026-12-03T09:00:00Z' },
    };
    expect(portalStatusWords({ ...asked, inviteEmail: null }, day)).toMatchObject({
      text: 'Invite expired',
      newLinkRequest: 'Asked for a new link 2026-12-03',
    });
    expect(
      portalStatusWords({ portal: { state: 'expired', lastLoginAt: null }, inviteEmail: null }, day).newLinkRequest,
    ).toBeNull();
  });

  it('hints at password strength the way the service rules go (12+ characters, not the email)', () => {
    expect(passwordStrength('short').score).toBe(0);
    expect(passwordStrength('ada@example.com', 'ada@example.com').words).toBe('the same as your email');
    expect(passwordStrength('aaaaaaaaaaaa').words).toBe('weak');
    expect(passwordStrength('correct horse battery staple').score).toBeGreaterThanOrEqual(3);
  });
});
