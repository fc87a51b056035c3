import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertPublisher } from '../../shared/adapters/alert-publisher.ts';
import type { Alert } from '../../shared/alerts.ts';

/**
 * Stand-in for the on-call SNS topic: each alert is printed and appended to
 * an alerts file as the e-mail subscriber would read it, subject then body.
 */
export class LocalAlertPublisher implements AlertPublisher {
  readonly path: string;
  readonly sent: Alert[] = [];
  private readonly print: boolean;

  constructor(path: string, options: { print?: boolean } = {}) {
    this.path = path;
    this.print = options.print ?? true;
  }

  async publish(alert: Alert): Promise<void> {
    this.sent.push(alert);
    const block = `=== ${new Date().toISOString()} ===\nSubject: ${alert.subject}\n\n${alert.message}\n\n`;
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, block);
    if (this.print) process.stderr.write(`\nALERT ${block}`);
  }
}
