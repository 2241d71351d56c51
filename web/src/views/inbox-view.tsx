/**
 * The review inbox: `GET /v1/review/tasks`, high priority first and then by deadline (the API's
 * order); the tasks still to be worked unless the status filter asks for completed ones or all.
 * Filters and the page offset live in the hash (`#/inbox?queue=senior&status=open&reason=…&mine=1&offset=25`),
 * so back/forward and links work. "Claim next" claims the next task the reviewer may review.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiRequestError, errorMessage } from '../api.js';
import { useApp, useNow } from '../app-context.js';
import { PageHeading } from '../components/page-heading.js';
import { TimeLeft } from '../components/time-left.js';
import { formatDateTime, humanize } from '../format.js';
import { messages, reasonLabel } from '../reasons.js';
import { hrefs, navigate } from '../router.js';
import type { ReviewQueue, ReviewTask, TaskPage, TaskStatus } from '../types.js';

export const PAGE_SIZE = 25;

const QUEUES: readonly ReviewQueue[] = ['standard', 'senior'];
const STATUSES: readonly TaskStatus[] = ['open', 'claimed', 'waiting_documents', 'completed'];
/** Besides one status: `''` = still to be worked (the API's default), `all` = completed ones too. */
const ALL_STATUSES = 'all';
const REASON_CODE = /^[a-z0-9_]{1,64}$/;
const MINUTE = 60_000;

/** How long the task has waited: "5 min", "3 h 12 min", "2 d 4 h". */
function formatAge(createdAt: string, now: number): string {
  const since = Date.parse(createdAt);
  if (Number.isNaN(since)) return '—';
  const total = Math.max(0, Math.floor((now - since) / MINUTE));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return minutes < 1 ? 'under 1 min' : `${minutes} min`;
}

interface Filters {
  queue: string;
  status: string;
  reason: string;
  mine: boolean;
  offset: number;
}

function readFilters(query: URLSearchParams): Filters {
  const queue = query.get('queue') ?? '';
  const status = query.get('status') ?? '';
  const reason = query.get('reason') ?? '';
  const offset = Number.parseInt(query.get('offset') ?? '0', 10);
  return {
    queue: (QUEUES as readonly string[]).includes(queue) ? queue : '',
    status: (STATUSES as readonly string[]).includes(status) || status === ALL_STATUSES ? status : '',
    reason: REASON_CODE.test(reason) ? reason : '',
    mine: query.get('mine') === '1',
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

function filtersQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.queue) query.set('queue', filters.queue);
  if (filters.status) query.set('status', filters.status);
  if (filters.reason) query.set('reason', filters.reason);
  if (filters.mine) query.set('mine', '1');
  if (filters.offset > 0) query.set('offset', String(filters.offset));
  return query;
}

export function InboxView({ query }: { query: URLSearchParams }) {
  const { api, me, notify } = useApp();
  const filters = readFilters(query);
  const [page, setPage] = useState<TaskPage | undefined>();
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  const [claiming, setClaiming] = useState(false);
  const now = useNow(30_000);
  const isReviewer = me.roles.includes('reviewer') || me.roles.includes('senior_reviewer');

  const requestPath = (() => {
    const params = new URLSearchParams();
    if (filters.queue) params.set('queue', filters.queue);
    if (filters.status) params.set('status', filters.status);
    if (filters.reason) params.set('reason', filters.reason);
    if (filters.mine) params.set('assignee', me.name);
    params.set('limit', String(PAGE_SIZE));
    params.set('offset', String(filters.offset));
    return `/v1/review/tasks?${params.toString()}`;
  })();

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .get<TaskPage>(requestPath)
      .then(({ body }) => {
        if (current) setPage(body);
      })
      .catch((err: unknown) => {
        if (current) notify('error', errorMessage(err));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [api, notify, requestPath, reloads]);

  /** Claims the next task the reviewer may review and opens it; says so when there is none. */
  async function claimNext(): Promise<void> {
    setClaiming(true);
    try {
      const { body } = await api.post<ReviewTask>('/v1/review/next', {});
      navigate(hrefs.case(body.caseId));
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === 'NO_TASK') notify('info', 'No open task is waiting that you may claim.');
      else notify('error', errorMessage(err));
      setReloads((n) => n + 1);
    } finally {
      setClaiming(false);
    }
  }

  function update(change: Partial<Filters>): void {
    navigate(hrefs.inbox(filtersQuery({ ...filters, offset: 0, ...change })));
  }

  const total = page?.total ?? 0;
  const first = page && page.tasks.length > 0 ? page.offset + 1 : 0;
  const last = page ? page.offset + page.tasks.length : 0;

  return (
    <>
      <PageHeading title="Inbox" />
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="filter-queue">Queue</label>
          <select id="filter-queue" value={filters.queue} onChange={(e) => update({ queue: e.currentTarget.value })}>
            <option value="">Any queue</option>
            {QUEUES.map((queue) => (
              <option key={queue} value={queue}>
                {humanize(queue)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select id="filter-status" value={filters.status} onChange={(e) => update({ status: e.currentTarget.value })}>
            <option value="">Still to do</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {humanize(status)}
              </option>
            ))}
            <option value={ALL_STATUSES}>Any status, completed too</option>
          </select>
        </div>
        <div class="field">
          <label for="filter-reason">Reason</label>
          <select id="filter-reason" value={filters.reason} onChange={(e) => update({ reason: e.currentTarget.value })}>
            <option value="">Any reason</option>
            {Object.keys(messages().reasons)
              .filter((code) => REASON_CODE.test(code))
              .map((code) => (
                <option key={code} value={code}>
                  {reasonLabel(code)}
                </option>
              ))}
          </select>
        </div>
        <div class="field field-inline">
          <input
            id="filter-mine"
            type="checkbox"
            checked={filters.mine}
            onChange={(e) => update({ mine: e.currentTarget.checked })}
          />
          <label for="filter-mine">Only my tasks</label>
        </div>
        <button type="button" class="secondary" onClick={() => setReloads((n) => n + 1)}>
          Refresh
        </button>
        {isReviewer ? (
          <button type="button" disabled={claiming} onClick={() => void claimNext()}>
            {claiming ? 'Claiming…' : 'Claim next'}
          </button>
        ) : null}
      </form>

      <div class="table-wrap" aria-busy={loading}>
        <table class="data-table inbox-table">
          <caption>
            Review tasks{' '}
            <span class="caption-note">
              {loading && !page ? 'loading…' : total === 0 ? '(none)' : `(${first}–${last} of ${total}, high priority first, then soonest deadline)`}
            </span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Queue</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Assignee</th>
              <th scope="col">Reasons</th>
              <th scope="col">Age</th>
              <th scope="col">Time left</th>
            </tr>
          </thead>
          <tbody>
            {page?.tasks.map((task) => (
              <tr key={task.taskId} class={task.priority === 'high' ? 'row-high' : undefined}>
                <th scope="row">
                  <a href={hrefs.case(task.caseId)}>{task.caseId}</a>
                </th>
                <td>{humanize(task.queue)}</td>
                <td>
                  <span class={`badge badge-${task.status}`}>{humanize(task.status)}</span>
                  {task.escalatedAt !== undefined ? (
                    <>
                      {' '}
                      <span class="badge badge-escalated" title={`Escalated ${formatDateTime(task.escalatedAt)}: the deadline passed`}>
                        Escalated
                      </span>
                    </>
                  ) : null}
                </td>
                <td>{task.priority === 'high' ? <strong>high</strong> : task.priority}</td>
                <td>{task.assignee ?? <span class="muted">unassigned</span>}</td>
                <td>
                  {task.reasons.length > 0 ? (
                    <ul class="plain-list">
                      {task.reasons.map((reason) => (
                        <li key={reason}>
                          {reasonLabel(reason)} <code>{reason}</code>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span class="muted">none</span>
                  )}
                </td>
                <td>
                  <span class="task-age" title={`In review since ${formatDateTime(task.createdAt)}`}>
                    {formatAge(task.createdAt, now)}
                  </span>
                </td>
                <td>{task.status === 'completed' ? <span class="muted">done</span> : <TimeLeft dueAt={task.dueAt} now={now} />}</td>
              </tr>
            ))}
            {page && page.tasks.length === 0 ? (
              <tr>
                <td colSpan={8} class="empty">
                  No tasks match these filters.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <nav aria-label="Pagination" class="pagination">
        <button
          type="button"
          class="secondary"
          disabled={filters.offset === 0}
          onClick={() => update({ ...filters, offset: Math.max(0, filters.offset - PAGE_SIZE) })}
        >
          Previous page
        </button>
        <span>
          {total === 0 ? 'Page 1 of 1' : `Page ${Math.floor(filters.offset / PAGE_SIZE) + 1} of ${Math.max(1, Math.ceil(total / PAGE_SIZE))}`}
        </span>
        <button
          type="button"
          class="secondary"
          disabled={!page || filters.offset + PAGE_SIZE >= total}
          onClick={() => update({ ...filters, offset: filters.offset + PAGE_SIZE })}
        >
          Next page
        </button>
      </nav>
    </>
  );
}
