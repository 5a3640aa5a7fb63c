// api.js — the one place that talks to /api/v1: JSON in and out, the
// session's CSRF token on every state change, errors as exceptions.
export const session = { user: null, role: null, csrf: null, can: {} };

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  const r = await fetch('/api/v1' + path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const e = data.error || {};
    throw new ApiError(r.status, e.code || 'EHTTP', e.message || `HTTP ${r.status}`);
  }
  return data;
}

export async function loadSession() {
  try {
    Object.assign(session, await api('GET', '/session'));
    return true;
  } catch (e) {
    if (e.status === 401) return false;
    throw e;
  }
}
