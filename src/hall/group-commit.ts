/**
 * Group commit (docs/sync-protocol.md, 5e.4): the work of every batch-sync request that arrived in
 * the same turn of the event loop runs in ONE immediate transaction, each request's work in its own
 * savepoint, and each answer is released only after that transaction committed — so an answer still
 * means durable at the hall (synchronous=FULL: the commit's fsync covers every request of the group),
 * while the hall pays one commit for the group instead of one (or two) per request.
 *
 * The work waits only on the database, never on file or network I/O: on SQLite nothing else runs
 * between BEGIN and COMMIT (the one connection is the group's), so no other request can read what the
 * group has not committed yet.
 *
 * On PostgreSQL each request is its own transaction on its own pooled connection instead, run at
 * once: the server already shares one WAL flush among the commits that wait at the same moment
 * (its own group commit), and a group on one connection would run every request's statements one
 * round trip after another — measured with two nodes and 200 kiosks, the group's serial round trips
 * were most of a push's time (docs/benchmarks.md, `fleet-nodes`).
 */
import type { HttpAnswer } from './answers.js';
import { hallError } from './answers.js';
import type { HallSql } from './store/index.js';

/** Thrown by a job to refuse its request and undo its own writes (only its savepoint rolls back). */
export class Refusal extends Error {
  constructor(readonly answer: HttpAnswer) {
    super('refused');
  }
}

export type GroupCommitStats = { commits: number; requests: number };

export type GroupCommit = {
  /** Queues `work`; resolves with its answer once the group's transaction committed. */
  run(work: () => Promise<HttpAnswer>): Promise<HttpAnswer>;
  /**
   * As `run`, for work that writes with ONE statement: on PostgreSQL it runs without BEGIN and
   * COMMIT around it (a statement is its own transaction: two round trips saved); on SQLite it
   * joins the group like any work.
   */
  runOne(work: () => Promise<HttpAnswer>): Promise<HttpAnswer>;
  stats(): GroupCommitStats;
};

type Job = { work: () => Promise<HttpAnswer>; resolve: (a: HttpAnswer) => void };

const unavailable = (): HttpAnswer => ({
  ...hallError(503, 'unavailable', 'try again later'),
  headers: { 'retry-after': '2' },
});

export function createGroupCommit(deps: { sql: HallSql; onError?: (e: unknown) => void }): GroupCommit {
  const { sql } = deps;
  let queue: Job[] = [];
  let scheduled = false;
  const counts: GroupCommitStats = { commits: 0, requests: 0 };

  async function flush(): Promise<void> {
    scheduled = false;
    const jobs = queue;
    queue = [];
    let answers: HttpAnswer[] = [];
    try {
      await sql.transaction(async () => {
        const done: HttpAnswer[] = [];
        // One after another (savepoints nest, they do not run side by side).
        for (const job of jobs) {
          try {
            // Nested: a savepoint, so one request's failure undoes its own writes only.
            done.push(await sql.transaction(job.work));
          } catch (e) {
            if (e instanceof Refusal) done.push(e.answer);
            else {
              deps.onError?.(e);
              done.push(unavailable());
            }
          }
        }
        answers = done;
      });
      counts.commits++;
      counts.requests += jobs.length;
    } catch (e) {
      // The commit itself failed (disk full, busy): nothing of the group is durable, nobody is
      // told otherwise; every kiosk retries.
      deps.onError?.(e);
      answers = jobs.map(() => unavailable());
    }
    jobs.forEach((job, i) => job.resolve(answers[i] ?? unavailable()));
  }

  /** PostgreSQL: the request's own transaction (or its one statement); answered once it committed. */
  async function alone(work: () => Promise<HttpAnswer>, oneStatement = false): Promise<HttpAnswer> {
    let answer: HttpAnswer;
    try {
      answer = oneStatement ? await work() : await sql.transaction(work);
    } catch (e) {
      if (e instanceof Refusal) answer = e.answer;
      else {
        deps.onError?.(e);
        answer = unavailable();
      }
    }
    counts.commits++;
    counts.requests++;
    return answer;
  }

  function run(work: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
    if (sql.engine === 'postgres') return alone(work);
    return new Promise<HttpAnswer>((resolve) => {
      queue.push({ work, resolve });
      if (!scheduled) {
        scheduled = true;
        // After the poll phase: every request whose bytes arrived in this turn joins the group.
        setImmediate(() => void flush());
      }
    });
  }

  return {
    run,
    runOne: (work) => (sql.engine === 'postgres' ? alone(work, true) : run(work)),
    stats: () => ({ ...counts }),
  };
}
