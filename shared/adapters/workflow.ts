import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';

/** Starts the curation workflow; Step Functions in AWS, the local interpreter here. */
export interface WorkflowStarter {
  start(name: string, input: object): Promise<StartResult>;
}

export interface StartResult {
  /** `exists` when an execution of that name was already started. */
  status: 'started' | 'exists';
  executionArn?: string;
}

export class StepFunctionsStarter implements WorkflowStarter {
  private readonly sfn: SFNClient;
  private readonly stateMachineArn: string;

  constructor(sfn: SFNClient, stateMachineArn: string) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  async start(name: string, input: object): Promise<StartResult> {
    try {
      const out = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { status: 'started', executionArn: out.executionArn };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return { status: 'exists' };
      throw error;
    }
  }

  /** Restarts a failed execution at its failed state (the console's Redrive). */
  async redrive(executionArn: string): Promise<void> {
    await this.sfn.send(new RedriveExecutionCommand({ executionArn }));
  }

  /** The input an execution started with, for "New execution" replays. */
  async inputOf(executionArn: string): Promise<object> {
    const out = await this.sfn.send(
      new DescribeExecutionCommand({ executionArn }),
    );
    return JSON.parse(out.input ?? '{}');
  }
}
