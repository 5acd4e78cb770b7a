import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { probe, ReadinessCheck } from '@cp/platform';
import { createTransport, Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { NotificationsConfig } from '../config';

/** The SMTP connection pool; the only place nodemailer is touched. */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  readonly transporter: Transporter<SMTPPool.SentMessageInfo>;
  readonly target: string;
  private readonly from: string;

  constructor(config: NotificationsConfig) {
    this.from = config.MAIL_FROM;
    const url = new URL(config.SMTP_URL);
    this.target = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
    this.transporter = createTransport({
      pool: true,
      maxConnections: config.MAIL_POOL_SIZE,
      // Without a cap nodemailer closes each connection after 100 messages.
      maxMessages: Infinity,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 15000,
    });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({ from: this.from, ...mail });
  }
}

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** Stable per delivery: a resend after a crash carries the same one, so receivers can drop the copy. */
  messageId?: string;
}

/** 5xx replies are final (bad address, policy); everything else (4xx, network) may pass later. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

@Injectable()
export class SmtpReadiness implements ReadinessCheck {
  constructor(
    private readonly mail: MailTransport,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    return probe(this.indicators, 'smtp', this.mail.target, async () => this.mail.transporter.verify());
  }
}
