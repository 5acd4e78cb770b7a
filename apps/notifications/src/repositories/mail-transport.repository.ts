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

  constructor(config: NotificationsConfig) {
    const url = new URL(config.SMTP_URL);
    this.target = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
    this.transporter = createTransport({
      pool: true,
      maxConnections: 5,
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
}

@Injectable()
export class SmtpReadiness implements ReadinessCheck {
  constructor(
    private readonly mail: MailTransport,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    return probe(this.indicators, 'smtp', this.mail.target, () => this.mail.transporter.verify());
  }
}
