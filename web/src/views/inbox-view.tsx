/**
 * The review inbox: `GET /v1/review/tasks`, sorted by deadline by the API. Filters and the page offset
 * live in the hash (`#/inbox?queue=senior&status=open&mine=1&offset=25`), so back/forward and links work.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api.js';
import { useApp, useNow } from '../app-context.js';
import { PageHeading } from '../components/page-heading.js';
import { TimeLeft } from '../components/time-left.js';
import { humanize } from '../format.js';
import { reasonLabel } from '../reasons.js';
import { hrefs, navigate } from '../router.js';
import type { ReviewQueue, TaskPage, TaskStatus } from '../types.js';

export const PAGE_SIZE = 25;

const QUEUES: readonly ReviewQueue[] = ['standard', 'senior'];
const STATUSES: readonly TaskStatus[] = ['open', 'claimed', 'waiting_documents', 'completed'];

interface Filters {
  queue: string;
  status: string;
  mine: boolean;
  offset: number;
}

function readFilters(query: URLSearchParams): Filters {
  const queue = query.get('queue') ?? '';
  const status = query.get('status') ?? '';
  const offset = Number.parseInt(query.get('offset') ?? '0', 10);
  return {
    queue: (QUEUES as readonly string[]).includes(queue) ? queue : '',
    status: (STATUSES as readonly string[]).includes(status) ? status : '',
    mine: query.get('mine') === '1',
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

function filtersQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.queue) query.set('queue', filters.queue);
  if (filters.status) query.set('status', filters.status);
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
  const now = useNow(30_000);

  const requestPath = (() => {
    const params = new URLSearchParams();
    if (filters.queue) params.set('queue', filters.queue);
    if (filters.status) params.set('status', filters.status);
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
            <option value="">Any status</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {humanize(status)}
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
      </form>

      <div class="table-wrap" aria-busy={loading}>
        <table class="data-table inbox-table">
          <caption>
            Review tasks{' '}
            <span class="caption-note">
              {loading && !page ? 'loading…' : total === 0 ? '(none)' : `(${first}–${last} of ${total}, soonest deadline first)`}
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
                <td>{task.status === 'completed' ? <span class="muted">done</span> : <TimeLeft dueAt={task.dueAt} now={now} />}</td>
              </tr>
            ))}
            {page && page.tasks.length === 0 ? (
              <tr>
                <td colSpan={7} class="empty">
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
