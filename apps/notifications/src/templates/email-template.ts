import { DomainError, ErrorCode, RenderedEmail, TEMPLATE_VARIABLES } from '@cp/contracts';
import Handlebars from 'handlebars';

export interface EmailModel {
  /** Logo (https) and colour (#rrggbb) were validated when the firm saved them; null: the portal's look. */
  firm: { name: string; logoUrl?: string | null; brandColor?: string | null };
  contact: { firstName: string; lastName: string };
  inviter: { name: string };
  message: string | null;
  link: string | null;
  expiresAt: string | null;
  /** Staff notices about an upload only; not a variable of firm templates. */
  file?: { name: string; size: string };
  /** The button's words and the expiry line's lead for emails other than invitations. */
  linkLabel?: string;
  expiryLead?: string;
  /** The portal sign-in code email only; not a variable of firm templates. */
  code?: string;
}

export interface TemplateSource {
  subject: string;
  body: string;
}

const ALLOWED = new Set<string>(TEMPLATE_VARIABLES);
const BLOCK_HELPERS = new Set(['if', 'unless']);

function invalid(where: { line: number; column: number } | null, message: string): DomainError {
  const position = where ? ` at line ${where.line}, column ${where.column + 1}` : '';
  return new DomainError(ErrorCode.TemplateInvalid, `${message}${position}.`, {
    position: where ? { line: where.line, column: where.column + 1 } : null,
  });
}

function checkPath(path: hbs.AST.Expression, loc: hbs.AST.SourceLocation): void {
  const name = (path as hbs.AST.PathExpression).original;
  if (path.type !== 'PathExpression' || !ALLOWED.has(name)) {
    throw invalid(loc.start, `Unknown variable {{${String(name)}}}; use one of ${TEMPLATE_VARIABLES.join(', ')}`);
  }
}

function walk(statements: hbs.AST.Statement[]): void {
  for (const node of statements) {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (!m.escaped) throw invalid(m.loc.start, 'Triple braces would skip HTML escaping; use {{...}}');
        if (m.params.length > 0) throw invalid(m.loc.start, 'Helpers are not allowed');
        checkPath(m.path, m.loc);
        break;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const helper = b.path.original;
        if (!BLOCK_HELPERS.has(helper) || b.params.length !== 1)
          throw invalid(b.loc.start, 'Only {{#if variable}} and {{#unless variable}} blocks are allowed');
        checkPath(b.params[0], b.loc);
        walk(b.program.body);
        if (b.inverse) walk(b.inverse.body);
        break;
      }
      default:
        throw invalid(node.loc.start, 'Partials and raw blocks are not allowed');
    }
  }
}

/** Refuses a template that would fail or leak at send time: checked when it is saved. */
export function validateTemplate(source: TemplateSource): void {
  for (const [field, text] of [
    ['subject', source.subject],
    ['body', source.body],
  ] as const) {
    let ast: hbs.AST.Program;
    try {
      ast = Handlebars.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
      const column = Math.max(0, /\n(-*)\^/.exec(message)?.[1].length ?? 0);
      throw invalid({ line, column }, `The ${field} is not a valid template: ${message.split('\n').slice(-1)[0]}`);
    }
    try {
      walk(ast.body);
    } catch (error) {
      if (error instanceof DomainError)
        throw new DomainError(error.code, `The ${field}: ${error.message}`, error.extra);
      throw error;
    }
  }
}

const DEFAULT_COLOR = '#1f4b99';
const COLOR = /^#[0-9a-fA-F]{6}$/;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Compiled templates by source: a burst of 1,000 invites compiles its template once, not 3,000 times. */
const COMPILED = new Map<string, HandlebarsTemplateDelegate>();
const COMPILED_MAX = 500;

function compiled(source: string, noEscape: boolean): HandlebarsTemplateDelegate {
  const key = `${noEscape ? 'text' : 'html'}\u0000${source}`;
  let template = COMPILED.get(key);
  if (!template) {
    template = Handlebars.compile(source, { strict: false, knownHelpersOnly: true, noEscape });
    if (COMPILED.size >= COMPILED_MAX) COMPILED.clear();
    COMPILED.set(key, template);
  }
  return template;
}

/**
 * One look for every email: the firm's name on top, the template's text (variables escaped),
 * the "Create Account" button when there is a link, and the expiry date.
 */
export function renderEmail(source: TemplateSource, model: EmailModel): RenderedEmail {
  const subject = compiled(
    source.subject,
    true,
  )(model)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const text = compiled(source.body, true)(model).trim();
  const bodyHtml = compiled(
    source.body,
    false,
  )(model)
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p style="white-space:pre-line">${paragraph}</p>`)
    .join('\n');

  // Checked again here: a colour lands in a style attribute, so only #rrggbb ever gets there.
  const color = model.firm.brandColor && COLOR.test(model.firm.brandColor) ? model.firm.brandColor : DEFAULT_COLOR;
  const logo = model.firm.logoUrl?.startsWith('https://')
    ? `<img src="${escapeHtml(model.firm.logoUrl)}" alt="${escapeHtml(model.firm.name)}" style="max-height:56px;max-width:240px;display:block;margin:16px 0 4px">\n`
    : '';
  const button = model.link
    ? `<p style="margin:28px 0"><a href="${escapeHtml(model.link)}" style="background:${color};color:#fff;padding:12px 22px;border-radius:4px;text-decoration:none">${escapeHtml(model.linkLabel ?? 'Create Account')}</a></p>`
    : '';
  const expiry = model.expiresAt
    ? `<p style="font-size:13px;color:#52606d">${escapeHtml(model.expiryLead ?? 'This invitation expires on')} ${escapeHtml(model.expiresAt)}.</p>`
    : '';
  const fallback = model.link
    ? `<p style="font-size:13px;color:#52606d">If the button does not work, copy this address into your browser:<br>${escapeHtml(model.link)}</p>`
    : '';
  const html = `<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;max-width:560px;margin:auto">
${logo}<h2 style="color:${color}">${escapeHtml(model.firm.name)}</h2>
${bodyHtml}
${button}
${expiry}
${fallback}
</body></html>`;

  const textParts = [model.firm.name, '', text];
  if (model.link) textParts.push('', `${model.linkLabel ?? 'Create your account'}: ${model.link}`);
  if (model.expiresAt) textParts.push('', `${model.expiryLead ?? 'This invitation expires on'} ${model.expiresAt}.`);
  return { subject, html, text: `${textParts.join('\n')}\n` };
}
