// @ts-check
// Calls to the Earworm API and the shapes it answers. Errors arrive as problem details; they are thrown as Error(detail).

/**
 * A track as lists show it (Earworm.Web.Views.TrackSummary).
 * @typedef {{ id: number, title: string | null, artist: string | null, album: string | null, genre: string | null,
 *   year: number | null, trackNumber: number | null, durationSeconds: number | null, fileName: string,
 *   tempoBpm: number | null, key: string | null, camelot: string | null, energy: number | null,
 *   danceability: number | null, loudnessLufs: number | null, brightnessHz: number | null, guessed?: string[] }} TrackSummary
 */
/**
 * A track the services chose, how close (the similarity as the services show it) and why.
 * @typedef {{ track: TrackSummary, score: number | null, reasons: string[], pulledInBy?: number | null }} Pick
 */
/** @typedef {{ total: number, offset: number, tracks: TrackSummary[] }} TrackPage */
/** @typedef {{ kind: string, space: string, tracks: Pick[], gaveWay: string[], totalMinutes: number }} PlaylistView */
/** @typedef {{ query: number | null, queryUpload: string | null, space: string, results: Pick[] }} SimilarView */
/** @typedef {{ user: string, source: string, tracks: Pick[] }} RecommendView */
/**
 * The limits of every request, the same in every front end (GET /api/limits).
 * @typedef {{ maxPlaylistLength: number, maxKeepOn: number, maxDrunk: number, maxNoRepeatArtist: number, maxMinutes: number,
 *   maxSimilar: number, maxRecommendations: number, maxTrackPage: number, maxUserName: number }} Limits
 */
/**
 * The library at a glance (GET /api/status).
 * @typedef {{ counts: { analysed: number, failed: number, missing: number, pending: number, total: number },
 *   spaces: string[], listening: { users: number }, models: object[],
 *   scan: { running: boolean, done: number, total: number, phase: string | null },
 *   training: { running: boolean, space: string | null, done: number, total: number, message: string | null } }} Status
 */

/**
 * @param {string} path
 * @param {RequestInit & { json?: unknown }} [options] `json`: a body sent as JSON (POST unless a method is given)
 * @returns {Promise<any>} the JSON answer, or the Response itself when it is not JSON (a file)
 */
export async function api(path, options = {}) {
  const { json, ...rest } = options;
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json', .../** @type {Record<string, string>} */ (rest.headers || {}) };
  /** @type {RequestInit} */
  const init = { ...rest, headers };
  if (json !== undefined) {
    init.method = init.method || 'POST';
    init.body = JSON.stringify(json);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try { const p = await response.json(); detail = p.detail || p.title || detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response;
}

/** @param {number} id */
export const audioUrl = id => `/api/tracks/${id}/audio`;

/** @param {TrackSummary} t */
export function name(t) { return `${t.artist ?? 'Unknown'} – ${t.title ?? t.fileName}`; }

/** @param {number | null | undefined} s seconds */
export function duration(s) {
  if (s == null) return '';
  const m = Math.floor(s / 60), r = Math.round(s % 60);
  return `${m}:${String(r).padStart(2, '0')}`;
}

/**
 * An element with attributes (`on…` are listeners, `class` the class name; null and false are left out) and children.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children nodes, strings, numbers, arrays of them; null is left out
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

/** A message at the bottom of the page for a few seconds. @param {string} message @param {number} [ms] */
export function toast(message, ms = 3500) {
  const t = /** @type {HTMLElement} */ (document.getElementById('toast'));
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, ms);
}

/** @type {Promise<Limits> | null} */
let limits = null;

/** The limits of every request (read once). @returns {Promise<Limits>} */
export function getLimits() { return limits ??= api('/api/limits'); }
