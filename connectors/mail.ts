/**
 * The mail client, created once from config and passed in (never a global). With SMTP_URL, mail goes
 * through that server; without it, each message is written as an .eml file under DATA_DIR/mail/ so a
 * development machine needs no mail server and every message can be opened in a mail reader.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export type MailMessage = {
  to: string;
  /** Never personal data in a subject (README, Design rules: personal data). */
  subject: string;
  text: string;
  html: string;
  /** Stable, so a receiver can drop a duplicate: `<purpose.id@host>`. */
  messageId: string;
  lang: string;
  /** Headers of this message only (a digest's List-Unsubscribe and List-Unsubscribe-Post, RFC 8058). */
  headers?: Record<string, string>;
  attachments?: { filename: string; content: string; contentType: string }[];
};

export type Mailer = {
  send: (message: MailMessage) => Promise<{ messageId: string }>;
  close: () => void;
};

export type MailerOptions = { smtpUrl?: string; from: string; dataDir: string };

export function createMailer({ smtpUrl, from, dataDir }: MailerOptions): Mailer {
  const spool = join(dataDir, 'mail');
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: { ...message.headers, 'Content-Language': message.lang, 'Auto-Submitted': 'auto-generated' },
        attachments: message.attachments,
      });
      if (!smtpUrl) {
        mkdirSync(spool, { recursive: true, mode: 0o700 });
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.messageId.replace(/[^A-Za-z0-9.-]/g, '_')}.eml`;
        writeFileSync(join(spool, name), (info as unknown as { message: Buffer }).message, { mode: 0o600 });
      }
      return { messageId: message.messageId };
    },
    close: () => transport.close(),
  };
}
