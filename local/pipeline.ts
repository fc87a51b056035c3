import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import { handler as buildQualityQuery } from '../functions/build-quality-query/handler.ts';
import { createHandler as createCheckCurationHandler } from '../functions/check-curation/handler.ts';
import { createHandler as createEvaluateHandler } from '../functions/evaluate-quality/handler.ts';
import { handler as failDrop } from '../functions/fail-drop/handler.ts';
import { createHandler as createNotifyHandler } from '../functions/notify-execution-status/handler.ts';
import { createHandler as createQueueHandler } from '../functions/queue-for-curation/handler.ts';
import { createHandler as createRecordFailureHandler } from '../functions/record-failure/handler.ts';
import { createHandler as createDigestHandler } from '../functions/send-alert-digest/handler.ts';
import { createHandler as createTierHandler } from '../functions/tier-raw-file/handler.ts';
import { createHandler as createValidateHandler } from '../functions/validate-drop/handler.ts';
import { LocalBlobStore } from '../shared/adapters/local-blob-store.ts';
import type { QueryResultsReader } from '../shared/adapters/query-results.ts';
import type {
  StartResult,
  WorkflowStarter,
} from '../shared/adapters/workflow.ts';
import type { PipelineConfig } from '../shared/config.ts';
import { curatedKey } from '../shared/curation/keys.ts';
import { TABLES } from '../shared/curation/tables.ts';
import {
  markCurated,
  markFailed,
  pendingDrops,
  type QueuedDrop,
} from '../shared/drop/curation-queue.ts';
import type { ExecutionInput } from '../shared/drop/execution-input.ts';
import { dropIdFor } from '../shared/drop/identity.ts';
import type { IntakeResult } from '../shared/drop/intake.ts';
import { loadManifest, type Manifest } from '../shared/drop/manifest.ts';
import {
  ReplayNotPossibleError,
  replayInput,
  requeueQuarantined,
} from '../shared/drop/replay.ts';
import {
  encodeS3Key,
  type ObjectCreated,
  parseS3Event,
} from '../shared/drop/s3-event.ts';
import { createLogger } from '../shared/logger.ts';
import { localConfig } from './config.ts';
import { LocalAlertPublisher } from './engines/alerts.ts';
import {
  crawlStaged,
  loadCuratedTables,
  refreshCuratedDrop,
} from './engines/catalog.ts';
import { Engine } from './engines/duckdb.ts';
import { runCuration } from './engines/glue-job.ts';
import { LOCAL_SUBSTITUTIONS, loadDefinition } from './state-machine.ts';

/**
 * The whole pipeline on one machine. The validate Lambda and the workflow's
 * Lambdas are the deployed handlers, given folder-backed storage; the
 * workflow is the deployed state machine, run by aws-local-stepfunctions with
 * each AWS-integrated Task bound to an embedded stand-in: a staged-zone
 * scanner for the crawler, DuckDB for the Glue job and for Athena, a file
 * for SNS. Waits and retry delays are shortened; nothing else changes.
 */

export const TASK_STATES = [
  'QueueForCuration',
  'StartCrawler',
  'GetCrawler',
  'CheckCuration',
  'RunGlueJob',
  'BuildQualityQuery',
  'RunQualityQuery',
  'EvaluateQuality',
  'TierRawFile',
  'RecordFailure',
  'PublishAlert',
  'ForgetAlert',
  'FailDrop',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** A fault to inject at a Task: transient faults clear after `times` tries. */
export type Fault =
  | { mode: 'transient'; times: number }
  | { mode: 'permanent' };
/**
 * Where faults can be injected: any Task state, or `CurateDrop`, one drop's
 * curation inside a Glue job run that curates several.
 */
export type FaultStage = TaskState | 'CurateDrop';
export type FaultPlan = (
  stage: FaultStage,
  drop: { dropId: string },
) => Fault | undefined;

export interface LocalOptions {
  /** Folder holding the buckets, catalog, alerts and execution records. */
  root: string;
  faults?: FaultPlan;
  /** Executions run at once; the Glue job's own limit applies inside. */
  concurrency?: number;
  glueMaxConcurrentRuns?: number;
  /**
   * How long a crawl and a Glue job's start-up take here. In AWS both take
   * about a minute, and drops that arrive meanwhile share the run; the
   * defaults keep that shape at a thousandth of the time.
   */
  serviceLatencyMs?: { crawl: number; jobStartup: number };
  printAlerts?: boolean;
  /** Called as each execution ends: progress for long runs. */
  onExecutionEnd?: (record: ExecutionRecord) => void;
}

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED';

export interface ExecutionRecord {
  name: string;
  arn: string;
  input: ExecutionInput;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  error?: string;
  /** Milliseconds spent per state, retries included. */
  stageMs: Record<string, number>;
  retries: number;
  /** The largest state input or output seen, in bytes of JSON: Step Functions caps it at 256 KiB. */
  largestStateBytes: number;
  /** Times the execution was redriven, as `$$.Execution.RedriveCount`. */
  redriveCount: number;
  /** The state the execution failed at, with its input: where a redrive restarts. */
  failedState?: { name: string; input: unknown };
}

/** Lambda's asynchronous invocation: the first try and two retries. */
const ASYNC_ATTEMPTS = 3;

/** A delivery whose every attempt threw: what the dead-letter queue holds. */
export interface DeadLettered {
  dropId: string;
  outcome: 'dead-lettered';
  /** The error's name; its message may quote what it read. */
  error: string;
  executionName?: undefined;
}
export type DeliveryResult = IntakeResult | DeadLettered;

/** The objects an event names, or one unknown object when it cannot be read. */
function objectsOf(event: unknown): ObjectCreated[] {
  try {
    const parsed = parseS3Event(event);
    if (parsed.kind === 'objects' && parsed.objects.length > 0)
      return parsed.objects;
  } catch {
    // A malformed event is dead-lettered as it is, under an unknown drop.
  }
  return [{ bucket: '', key: '', size: 0, eTag: '', eventTime: '' }];
}

/** Drops one Glue job run curates at most; the rest wait for the next run. */
const GLUE_DROPS_PER_RUN = 500;

const EXECUTION_ARN = (name: string) =>
  `arn:aws:states:local:000000000000:execution:drop-pipeline:${name}`;

export { DEFAULT_ROOT, rootOption } from './config.ts';

export class LocalPipeline implements WorkflowStarter {
  readonly root: string;
  readonly config: PipelineConfig;
  readonly store: LocalBlobStore;
  readonly alerts: LocalAlertPublisher;
  readonly executions = new Map<string, ExecutionRecord>();
  readonly counters = { crawlerRuns: 0, jobRuns: 0, queries: 0 };
  /** Faults to inject from now on; tests and the soak command set it. */
  faults: FaultPlan | undefined;
  private readonly engine: Engine;
  private readonly options: LocalOptions;
  private readonly definition: Record<string, unknown>;
  /** Built once: constructing it validates the definition, which takes ~80 ms. */
  private readonly machine: StateMachine;
  private readonly pending = new Set<Promise<void>>();
  private readonly queue: Array<() => Promise<void>> = [];
  private active = 0;
  private readonly crawler = {
    state: 'READY',
    lastStatus: 'SUCCEEDED',
    crawl: Promise.resolve(),
  };
  private glueRunning = 0;
  private readonly queryRows = new Map<
    string,
    Array<Record<string, unknown>>
  >();
  private readonly faultTries = new Map<string, number>();
  private readonly latency: { crawl: number; jobStartup: number };

  private constructor(options: LocalOptions, engine: Engine) {
    this.options = options;
    this.faults = options.faults;
    this.latency = options.serviceLatencyMs ?? { crawl: 60, jobStartup: 60 };
    this.root = resolve(options.root);
    this.config = localConfig(options.root);
    this.store = new LocalBlobStore(this.root);
    this.engine = engine;
    this.alerts = new LocalAlertPublisher(join(this.root, 'alerts.log'), {
      print: options.printAlerts ?? true,
    });
    this.definition = loadDefinition(LOCAL_SUBSTITUTIONS);
    this.machine = new StateMachine(this.definition as never, {
      validationOptions: { checkArn: false },
    });
  }

  static async open(options: LocalOptions): Promise<LocalPipeline> {
    const pipeline = new LocalPipeline(options, await Engine.open());
    await mkdir(join(pipeline.root, 'executions'), { recursive: true });
    await loadCuratedTables(
      pipeline.engine,
      join(pipeline.root, pipeline.config.buckets.curated),
    );
    return pipeline;
  }

  /**
   * Puts bytes into the landing folder and delivers the ObjectCreated event
   * S3 would send, key URL-encoded and ETag the MD5 of the content.
   */
  async land(
    key: string,
    bytes: Uint8Array,
    eventTime = new Date(),
  ): Promise<DeliveryResult[]> {
    await this.store.write(this.config.buckets.landing, key, bytes);
    return this.deliver(
      s3Event(this.config.buckets.landing, key, bytes, eventTime),
    );
  }

  /** Delivers the ObjectCreated event for a file already in the landing folder. */
  async deliverLanded(key: string): Promise<DeliveryResult[]> {
    const { landing } = this.config.buckets;
    const bytes = await readFile(this.store.pathOf(landing, key));
    return this.deliver(s3Event(landing, key, bytes, new Date()));
  }

  /**
   * Delivers an event exactly as given, for duplicates and test events, the
   * way S3 invokes the function: asynchronously, so an invocation that
   * throws is retried twice and then goes to the dead-letter queue, here
   * `dead-letter/` under the root, instead of failing the caller.
   */
  async deliver(event: unknown): Promise<DeliveryResult[]> {
    let error: unknown;
    for (let attempt = 0; attempt < ASYNC_ATTEMPTS; attempt++) {
      try {
        return await this.validate()(event);
      } catch (thrown) {
        error = thrown;
      }
    }

    return this.deadLetter(event, error);
  }

  /** The dead-letter message: the event (ids and keys) and the error name. */
  private async deadLetter(
    event: unknown,
    error: unknown,
  ): Promise<DeadLettered[]> {
    const name = error instanceof Error ? error.name : 'UnknownError';
    const objects = objectsOf(event);
    const at = new Date().toISOString();
    const folder = join(this.root, 'dead-letter');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, `${at.replace(/[:.]/g, '-')}-${randomUUID()}.json`),
      JSON.stringify(
        { at, error: name, attempts: ASYNC_ATTEMPTS, event },
        null,
        2,
      ),
    );

    return objects.map((object) => ({
      dropId: dropIdFor(object),
      outcome: 'dead-lettered',
      error: name,
    }));
  }

  async start(name: string, input: object): Promise<StartResult> {
    if (this.executions.has(name) || (await this.loadRecord(name))) {
      return { status: 'exists' };
    }
    const record: ExecutionRecord = {
      name,
      arn: EXECUTION_ARN(name),
      input: input as ExecutionInput,
      status: 'RUNNING',
      startedAt: new Date().toISOString(),
      stageMs: {},
      retries: 0,
      largestStateBytes: 0,
      redriveCount: 0,
    };
    this.executions.set(name, record);
    await this.saveRecord(record);
    this.schedule(() => this.execute(record));

    return { status: 'started', executionArn: record.arn };
  }

  /**
   * Waits until every started execution has ended, then sends the alert
   * digest for failures a storm held back: locally a run is over in
   * seconds, so the quarter-hour schedule of AWS becomes "when idle".
   */
  async drain(): Promise<void> {
    while (this.pending.size > 0 || this.queue.length > 0) {
      await Promise.all([...this.pending]);
    }
    await this.digest();
  }

  /**
   * Starts a new execution with the input the drop's workflow had, as
   * "New execution" in the console does. Safe because every stage replaces
   * the drop's output rather than adding to it.
   */
  async replay(dropId: string): Promise<ExecutionRecord> {
    const { input, executionName } = await replayInput(
      this.store,
      this.config,
      dropId,
    );
    await this.start(executionName, input);
    await this.drain();

    return this.executions.get(executionName) as ExecutionRecord;
  }

  /**
   * Redrives a failed execution as Step Functions does: same execution, same
   * definition, restarted at the state it failed at with that state's input,
   * `$$.Execution.RedriveCount` one higher. States that succeeded do not run
   * again.
   */
  async redrive(name: string): Promise<ExecutionRecord> {
    const record = this.executions.get(name) ?? (await this.loadRecord(name));
    if (
      !record?.failedState ||
      record.status === 'SUCCEEDED' ||
      record.status === 'RUNNING'
    ) {
      throw new ReplayNotPossibleError(
        `failed to redrive: ${name} is not a failed execution of this root`,
      );
    }
    const machine = new StateMachine(
      { ...this.definition, StartAt: record.failedState.name } as never,
      { validationOptions: { checkArn: false } },
    );
    const from = { machine, input: record.failedState.input };
    Object.assign(record, {
      status: 'RUNNING',
      redriveCount: record.redriveCount + 1,
    });
    delete record.failedState;
    this.executions.set(name, record);
    this.schedule(() => this.execute(record, from));
    await this.drain();

    return record;
  }

  /**
   * Sends a drop quarantined whole through validation again, as
   * `npm run replay -- --revalidate` does in AWS; here the event S3 would
   * raise for the restored object is delivered directly.
   */
  async revalidate(dropId: string): Promise<DeliveryResult[]> {
    const { bucket, key } = await requeueQuarantined(
      this.store,
      this.config,
      dropId,
    );
    const bytes = await readFile(this.store.pathOf(bucket, key));
    const results = await this.deliver(s3Event(bucket, key, bytes, new Date()));
    await this.drain();

    return results;
  }

  manifest(dropId: string): Promise<Manifest | undefined> {
    return loadManifest(this.store, this.config.buckets.manifests, dropId);
  }

  /** Runs SQL over the curated tables, as Athena would over the Glue catalog. */
  async query(sql: string): Promise<Array<Record<string, unknown>>> {
    return this.engine.rows(sql);
  }

  close(): void {
    this.engine.close();
  }

  private schedule(work: () => Promise<void>): void {
    this.queue.push(work);
    this.pump();
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.active < limit && this.queue.length > 0) {
      const work = this.queue.shift() as () => Promise<void>;
      this.active++;
      const running = work().finally(() => {
        this.active--;
        this.pending.delete(running);
        this.pump();
      });
      this.pending.add(running);
    }
  }

  private async execute(
    record: ExecutionRecord,
    from?: { machine: StateMachine; input: unknown },
  ): Promise<void> {
    const machine = from?.machine ?? this.machine;
    const execution = machine.run((from?.input ?? record.input) as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(record),
        waitTimeOverrides: { WaitForCrawler: 25, WaitForGlueCapacity: 150 },
        retryIntervalOverrides: this.retryOverrides(),
      },
      context: {
        Execution: {
          Id: record.arn,
          Name: record.name,
          RedriveCount: record.redriveCount,
        },
      } as never,
    });
    const timings = this.collectTimings(record, execution.eventLogs);
    try {
      await execution.result;
      record.status = 'SUCCEEDED';
      delete record.error;
    } catch (error) {
      record.status =
        error instanceof ExecutionTimeoutError ? 'TIMED_OUT' : 'FAILED';
      record.error =
        error instanceof ExecutionError
          ? String(
              (error as { cause?: { name?: string } }).cause?.name ??
                error.name,
            )
          : (error as Error).name;
    }
    await timings;
    record.stoppedAt = new Date().toISOString();
    await this.saveRecord(record);
    if (record.status !== 'SUCCEEDED') {
      await this.resyncCurated(record.input);
      await this.notifyStatus(record);
    }
    this.options.onExecutionEnd?.(record);
  }

  /** Brings the query engine's copy of a drop's rows in line with its files. */
  private async resyncCurated(input: ExecutionInput): Promise<void> {
    const { curated } = this.config.buckets;
    for (const table of TABLES) {
      const key = curatedKey(table.name, input.ingestDate, input.dropId);
      const exists = (await this.store.head(curated, key)) !== undefined;
      await refreshCuratedDrop(
        this.engine,
        this.store.pathOf(curated, key),
        table.name,
        input.dropId,
        exists,
      );
    }
  }

  private digest() {
    return createDigestHandler(
      {
        config: this.config,
        store: this.store,
        publisher: this.alerts,
        logger: createLogger('send-alert-digest'),
      },
      { includeOpen: true },
    )();
  }

  /** EventBridge's rule on FAILED, TIMED_OUT and ABORTED, delivered locally. */
  private async notifyStatus(record: ExecutionRecord): Promise<void> {
    const notify = createNotifyHandler({
      config: this.config,
      store: this.store,
      publisher: this.alerts,
      logger: createLogger('notify-execution-status'),
    });
    await notify({
      time: record.stoppedAt,
      detail: {
        executionArn: record.arn,
        name: record.name,
        status: record.status,
        input: JSON.stringify(record.input),
        error: record.error ?? null,
        cause: null,
      },
    });
  }

  /** Time per state and the largest state payload, from the execution's events. */
  private async collectTimings(
    record: ExecutionRecord,
    events: AsyncGenerator<{
      type: string;
      timestamp: number;
      state?: { name: string; input?: unknown; output?: unknown };
    }>,
  ): Promise<void> {
    const entered = new Map<string, number>();
    for await (const event of events) {
      const name = event.state?.name;
      if (!name) continue;
      if (event.type === 'StateExited') {
        const bytes = JSON.stringify(event.state?.output ?? null).length;
        record.largestStateBytes = Math.max(record.largestStateBytes, bytes);
      }
      if (event.type === 'StateEntered') entered.set(name, event.timestamp);
      if (event.type === 'StateFailed')
        record.failedState = { name, input: event.state?.input };
      if (event.type === 'StateRetried') record.retries++;
      if (event.type === 'StateExited' || event.type === 'StateFailed') {
        const start = entered.get(name) ?? event.timestamp;
        record.stageMs[name] =
          (record.stageMs[name] ?? 0) + (event.timestamp - start);
      }
    }
  }

  private retryOverrides(): Record<string, number> {
    const states = (
      this.definition as { States: Record<string, { Retry?: unknown }> }
    ).States;
    return Object.fromEntries(
      Object.entries(states)
        .filter(([, state]) => state.Retry)
        .map(([name]) => [name, name === 'StartCrawler' ? 25 : 5]),
    );
  }

  /**
   * Each execution gets its own handlers and loggers. In AWS every
   * invocation has its own Lambda context; one logger shared by concurrent
   * executions here would log one drop's lines under another's id.
   */
  private taskHandlers(record: ExecutionRecord) {
    const tasks = this.bindTasks();
    return Object.fromEntries(
      TASK_STATES.map((state) => [
        state,
        async (input: unknown) => {
          this.injectFault(state, record);
          return (await tasks[state](input as never)) as never;
        },
      ]),
    );
  }

  /** The validate function, with a logger of its own per delivery. */
  private validate() {
    return createValidateHandler({
      config: this.config,
      store: this.store,
      workflow: this,
      logger: createLogger('validate-drop'),
    });
  }

  private injectFault(state: TaskState, record: ExecutionRecord): void {
    const fault = this.faults?.(state, record.input);
    if (!fault) return;
    const id = `${record.name}/${state}`;
    const tries = (this.faultTries.get(id) ?? 0) + 1;
    this.faultTries.set(id, tries);
    if (fault.mode === 'transient' && tries > fault.times) return;

    throw injectedError(state, fault);
  }

  private bindTasks(): Record<TaskState, (input: never) => Promise<unknown>> {
    const logger = (name: string) => createLogger(name);
    const evaluate = createEvaluateHandler({
      config: this.config,
      store: this.store,
      queryResults: this.resultsReader(),
      logger: logger('evaluate-quality'),
    });
    const tier = createTierHandler({
      config: this.config,
      store: this.store,
      logger: logger('tier-raw-file'),
    });
    const recordFailure = createRecordFailureHandler({
      config: this.config,
      store: this.store,
      logger: logger('record-failure'),
    });
    const publish = async (input: { Subject: string; Message: string }) => {
      await this.alerts.publish({
        subject: input.Subject,
        message: input.Message,
      });
      return {
        MessageId: createHash('sha1').update(input.Message).digest('hex'),
      };
    };
    const store = { config: this.config, store: this.store };
    return {
      QueueForCuration: createQueueHandler({
        ...store,
        logger: logger('queue-for-curation'),
      }),
      CheckCuration: createCheckCurationHandler(store),
      StartCrawler: () => this.startCrawler(),
      GetCrawler: () => this.getCrawler(),
      RunGlueJob: () => this.runGlueJob(),
      BuildQualityQuery: (input: ExecutionInput) => buildQualityQuery(input),
      RunQualityQuery: (input: { QueryString: string }) =>
        this.runQuery(input.QueryString),
      EvaluateQuality: evaluate,
      TierRawFile: tier,
      RecordFailure: recordFailure,
      PublishAlert: publish,
      ForgetAlert: recordFailure,
      FailDrop: failDrop,
    };
  }

  /** Like Glue, refuses to start a crawl while one runs. */
  private async startCrawler(): Promise<Record<string, never>> {
    if (this.crawler.state === 'RUNNING') {
      throw named(
        'Glue.CrawlerRunningException',
        'Crawler with name local-staged-crawler has already started',
      );
    }
    this.crawler.state = 'RUNNING';
    this.counters.crawlerRuns++;
    this.crawler.crawl = delay(this.latency.crawl)
      .then(() =>
        crawlStaged(
          this.store,
          this.config.buckets.staged,
          join(this.root, 'catalog', 'staged.json'),
        ),
      )
      .then(() => {
        this.crawler.lastStatus = 'SUCCEEDED';
      })
      .catch(() => {
        this.crawler.lastStatus = 'FAILED';
      })
      .finally(() => {
        this.crawler.state = 'READY';
      });
    return {};
  }

  private async getCrawler() {
    return {
      Crawler: {
        State: this.crawler.state,
        LastCrawl: { Status: this.crawler.lastStatus },
      },
    };
  }

  /**
   * Like Glue, refuses runs beyond the job's MaxConcurrentRuns. A run curates
   * every drop queued when it starts, as glue/curate_drop.py does.
   */
  private async runGlueJob() {
    if (this.glueRunning >= (this.options.glueMaxConcurrentRuns ?? 1)) {
      throw named(
        'Glue.ConcurrentRunsExceededException',
        'Concurrent runs exceeded for local-curate-drop',
      );
    }
    this.glueRunning++;
    this.counters.jobRuns++;
    const started = Date.now();
    try {
      await delay(this.latency.jobStartup);
      const { manifests } = this.config.buckets;
      for (const drop of await pendingDrops(
        this.store,
        manifests,
        GLUE_DROPS_PER_RUN,
      )) {
        await this.curateQueued(drop);
      }
    } finally {
      this.glueRunning--;
    }
    return {
      Id: `jr_local_${this.counters.jobRuns}`,
      JobRunState: 'SUCCEEDED',
      ExecutionTime: Math.round((Date.now() - started) / 1000),
    };
  }

  /** One drop of a job run: its failure is the drop's, not the run's. */
  private async curateQueued(drop: QueuedDrop): Promise<void> {
    const { manifests } = this.config.buckets;
    try {
      const fault = this.faults?.('CurateDrop', drop);
      if (fault?.mode === 'permanent')
        throw named('InjectedFault', 'injected permanent fault at CurateDrop');
      await runCuration(this.engine, this.store, this.config.buckets, drop);
      await markCurated(this.store, manifests, drop);
    } catch (error) {
      await markFailed(this.store, manifests, drop, (error as Error).name);
    }
  }

  private async runQuery(sql: string) {
    this.counters.queries++;
    const id = `local-query-${this.counters.queries}`;
    try {
      this.queryRows.set(id, await this.query(sql));
    } catch (error) {
      throw named(
        'States.TaskFailed',
        JSON.stringify({
          QueryExecutionId: id,
          Status: { State: 'FAILED' },
          message: (error as Error).name,
        }),
      );
    }
    await writeFile(join(this.root, 'athena-results.last.sql'), sql);
    return {
      QueryExecution: { QueryExecutionId: id, Status: { State: 'SUCCEEDED' } },
    };
  }

  /** Hands results back in pages of 1,000 like GetQueryResults. */
  private resultsReader(): QueryResultsReader {
    const rows = this.queryRows;
    return {
      async *rows(id: string) {
        const all = rows.get(id) ?? [];
        for (let page = 0; page < all.length; page += 1000) {
          for (const row of all.slice(page, page + 1000)) {
            yield Object.fromEntries(
              Object.entries(row).map(([k, v]) => [
                k,
                v === null ? null : String(v),
              ]),
            );
          }
        }
        rows.delete(id);
      },
    };
  }

  private recordPath(name: string): string {
    return join(this.root, 'executions', `${name}.json`);
  }

  private async saveRecord(record: ExecutionRecord): Promise<void> {
    await writeFile(
      this.recordPath(record.name),
      JSON.stringify(record, null, 2),
    );
  }

  private async loadRecord(name: string): Promise<ExecutionRecord | undefined> {
    const text = await readFile(this.recordPath(name), 'utf8').catch(
      () => undefined,
    );
    return text ? (JSON.parse(text) as ExecutionRecord) : undefined;
  }
}

/** The ObjectCreated:Put event S3 sends, with the key encoded as S3 encodes it. */
export function s3Event(
  bucket: string,
  key: string,
  bytes: Uint8Array,
  eventTime: Date,
) {
  const eTag = createHash('md5').update(bytes).digest('hex');
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: eventTime.toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local-landing',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeS3Key(key),
            size: bytes.length,
            eTag,
            sequencer: Date.now().toString(16).toUpperCase().padStart(18, '0'),
          },
        },
      },
    ],
  };
}

const TRANSIENT_ERRORS: Record<TaskState, string> = {
  StartCrawler: 'Glue.ThrottlingException',
  GetCrawler: 'Glue.ThrottlingException',
  QueueForCuration: 'Lambda.ServiceException',
  CheckCuration: 'Lambda.ServiceException',
  RunGlueJob: 'Glue.ThrottlingException',
  BuildQualityQuery: 'Lambda.ServiceException',
  RunQualityQuery: 'Athena.TooManyRequestsException',
  EvaluateQuality: 'Lambda.ServiceException',
  TierRawFile: 'Lambda.ServiceException',
  RecordFailure: 'Lambda.ServiceException',
  PublishAlert: 'SNS.InternalErrorException',
  ForgetAlert: 'Lambda.ServiceException',
  FailDrop: 'Lambda.ServiceException',
};

function injectedError(state: TaskState, fault: Fault): Error {
  return fault.mode === 'transient'
    ? named(TRANSIENT_ERRORS[state], `injected transient fault at ${state}`)
    : named('InjectedFault', `injected permanent fault at ${state}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
