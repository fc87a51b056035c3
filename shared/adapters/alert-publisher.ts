import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../alerts.ts';

/** Sends an alert to on-call: the SNS topic in AWS, console and file locally. */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

export class SnsAlertPublisher implements AlertPublisher {
  private readonly sns: SNSClient;
  private readonly topicArn: string;

  constructor(sns: SNSClient, topicArn: string) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  async publish(alert: Alert): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: alert.subject,
        Message: alert.message,
      }),
    );
  }
}
