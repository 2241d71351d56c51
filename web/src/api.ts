/**
 * The one place the page talks to the API: every request carries the key as a bearer token, every
 * non-2xx answer becomes an `ApiRequestError` holding the API's own message.
 */

export interface ErrorDetail {
  field?: string;
  message: string;
}

export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(options: { status: number; code: string; message: string; details?: ErrorDetail[] }) {
    super(options.message);
    this.name = 'ApiRequestError';
    this.status = options.status;
    this.code = options.code;
    this.details = options.details ?? [];
  }
}

export interface JsonResponse<T> {
  status: number;
  body: T;
}

export interface BlobResponse {
  blob: Blob;
  contentType: string;
}

export interface ApiClient {
  get<T>(path: string): Promise<JsonResponse<T>>;
  post<T>(path: string, body: unknown): Promise<JsonResponse<T>>;
  postForm<T>(path: string, form: FormData): Promise<JsonResponse<T>>;
  blob(path: string, signal?: AbortSignal): Promise<BlobResponse>;
}

export interface ApiClientOptions {
  key: string;
  /** Called on any 401: the key was revoked or is wrong. */
  onUnauthorized?: (error: ApiRequestError) => void;
}

export function createApiClient({ key, onUnauthorized }: ApiClientOptions): ApiClient {
  async function send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${key}`);
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiRequestError({
        status: 0,
        code: 'NETWORK_ERROR',
        message: 'The server could not be reached. Check the connection and try again.',
      });
    }
    if (!response.ok) {
      const error = await toError(response);
      if (response.status === 401) onUnauthorized?.(error);
      throw error;
    }
    return response;
  }

  async function json<T>(response: Response): Promise<JsonResponse<T>> {
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  return {
    async get(path) {
      return json(await send(path, { method: 'GET', headers: { accept: 'application/json' } }));
    },
    async post(path, body) {
      return json(
        await send(path, {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    },
    async postForm(path, form) {
      // No content-type: the browser sets multipart/form-data with its boundary.
      return json(await send(path, { method: 'POST', headers: { accept: 'application/json' }, body: form }));
    },
    async blob(path, signal) {
      const response = await send(path, { method: 'GET', ...(signal ? { signal } : {}) });
      const blob = await response.blob();
      return { blob, contentType: (response.headers.get('content-type') ?? blob.type).split(';')[0]!.trim() };
    },
  };
}

/** Checks a key before keeping it: the identity behind it, or the API's refusal. */
export async function fetchIdentity<T>(key: string): Promise<T> {
  return (await createApiClient({ key }).get<T>('/v1/me')).body;
}

async function toError(response: Response): Promise<ApiRequestError> {
  const fallback = `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  try {
    const body: unknown = await response.json();
    if (isErrorBody(body)) {
      return new ApiRequestError({
        status: response.status,
        code: body.error.code,
        message: body.error.message || fallback,
        ...(Array.isArray(body.error.details) ? { details: body.error.details } : {}),
      });
    }
  } catch {
    // Not JSON (a proxy's page, an empty body): the status says enough.
  }
  return new ApiRequestError({ status: response.status, code: `HTTP_${response.status}`, message: fallback });
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string; details?: ErrorDetail[] } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string';
}

/** What to tell the user about any failure. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError) {
    const details = err.details
      .map((d) => (d.field ? `${d.field}: ${d.message}` : d.message))
      .filter((d) => d !== err.message);
    return details.length > 0 ? `${err.message} (${details.join('; ')})` : err.message;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/** `/v1/cases/a%2Fb/...`: every id in a path is encoded. */
export function apiPath(strings: TemplateStringsArray, ...ids: Array<string | number>): string {
  return strings.reduce((path, part, i) => path + part + (i < ids.length ? encodeURIComponent(String(ids[i])) : ''), '');
}
