import { DomainError } from '@cp/contracts';
import { renderEmail, validateTemplate } from './email-template';
import { PRESET_TEMPLATES } from './presets';

const model = {
  firm: { name: 'Acme & Sons' },
  contact: { firstName: 'Ada', lastName: 'L' },
  inviter: { name: 'Bob' },
  message: '<script>alert(1)</script>',
  link: 'https://portal.test/invite/abc.def',
  expiresAt: 'Tue, 23 Dec 2026',
};

function problem(source: { subject: string; body: string }): DomainError {
  try {
    validateTemplate(source);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the template to be refused');
}

describe('validateTemplate', () => {
  it('accepts every preset', () => {
    for (const preset of PRESET_TEMPLATES) expect(() => validateTemplate(preset)).not.toThrow();
  });

  it('refuses an unknown variable, naming it and its position', () => {
    const error = problem({ subject: 'Hi', body: 'Line one\nHello {{contact.middleName}}' });
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toContain('contact.middleName');
    expect(error.extra.position).toEqual({ line: 2, column: 7 });
  });

  it('refuses a broken template with the position of the break', () => {
    const error = problem({ subject: 'Hi {{firm.name', body: 'ok' });
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toContain('subject');
    expect(error.extra.position).toMatchObject({ line: 1 });
  });

  it('refuses unescaped output and partials', () => {
    expect(problem({ subject: 'x', body: '{{{message}}}' }).message).toContain('escaping');
    expect(problem({ subject: 'x', body: '{{> header}}' }).code).toBe('TEMPLATE_INVALID');
  });
});

describe('renderEmail', () => {
  it('escapes values in HTML, keeps text plain, and adds the button and expiry', () => {
    const email = renderEmail(
      { subject: '{{firm.name}} portal', body: 'Hello {{contact.firstName}}\n\n{{message}}' },
      model,
    );
    expect(email.subject).toBe('Acme & Sons portal');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Acme &amp; Sons');
    expect(email.html).toContain('href="https://portal.test/invite/abc.def"');
    expect(email.text).toContain('<script>alert(1)</script>');
    expect(email.text).toContain('Create your account: https://portal.test/invite/abc.def');
    expect(email.text).toContain('expires on Tue, 23 Dec 2026');
  });

  it("shows the firm's logo and colour in the HTML part when set, escaped, and the default look otherwise", () => {
    const branded = renderEmail(PRESET_TEMPLATES[0], {
      ...model,
      firm: { name: 'Acme & Sons', logoUrl: 'https://acme.example/logo.png?a=1&b="2"', brandColor: '#AA3355' },
    });
    expect(branded.html).toContain(
      '<img src="https://acme.example/logo.png?a=1&amp;b=&quot;2&quot;" alt="Acme &amp; Sons"',
    );
    expect(branded.html).toContain('<h2 style="color:#AA3355">Acme &amp; Sons</h2>');
    expect(branded.html).toContain('background:#AA3355');
    expect(branded.text.startsWith('Acme & Sons\n')).toBe(true);

    const plain = renderEmail(PRESET_TEMPLATES[0], model);
    expect(plain.html).not.toContain('<img');
    expect(plain.html).toContain('background:#1f4b99');
  });

  it('never puts anything but #rrggbb into a style, nor a non-https logo', () => {
    const hostile = renderEmail(PRESET_TEMPLATES[0], {
      ...model,
      firm: { name: 'X', logoUrl: 'javascript:alert(1)', brandColor: 'red;background:url(x)' },
    });
    expect(hostile.html).not.toContain('javascript:');
    expect(hostile.html).not.toContain('url(x)');
    expect(hostile.html).toContain('color:#1f4b99');
  });
});
