// @ts-check
// Earworm's page: views switched by the URL hash, the library table, the detail panel, keep playing, join the dots,
// the map, recommendations, dropped files, progress, keyboard shortcuts.
import { api, name, duration, el, toast, getLimits } from './api.js';
import { player, renderPick } from './player.js';
import { createMap } from './map.js';
import { tagsPanel } from './words.js';

/** @typedef {import('./api.js').TrackSummary} TrackSummary */
/** @typedef {import('./api.js').TrackPage} TrackPage */
/** @typedef {import('./api.js').PlaylistView} PlaylistView */
/** @typedef {import('./api.js').Status} Status */

/** @param {string} id @returns {any} the element (its kind is the page's: an input, a table…) */
const $ = id => /** @type {any} */ (document.getElementById(id));
/** @param {number | null | undefined} v @param {number} [d] */
const fmt = (v, d = 0) => v == null ? '' : Number(v).toFixed(d);

// ---- every track (join the dots' names, the map's tooltips): read a page at a time, the largest the API allows ----
/** @type {Promise<TrackSummary[]> | null} */
let allTracks = null;
const getTracks = () => allTracks ??= (async () => {
  const { maxTrackPage } = await getLimits();
  /** @type {TrackSummary[]} */
  const all = [];
  for (;;) {
    /** @type {TrackPage} */
    const page = await api(`/api/tracks?limit=${maxTrackPage}&offset=${all.length}`);
    all.push(...page.tracks);
    if (page.tracks.length === 0 || all.length >= page.total) return all;
  }
})();

// ---- views -----------------------------------------------------------------------------------
const views = ['library', 'keep', 'dots', 'map', 'foryou'];
/** @param {string} view */
function show(view) {
  if (!views.includes(view)) view = 'library';
  for (const v of views) $(`view-${v}`).hidden = v !== view;
  for (const a of document.querySelectorAll('.tabs a')) a.setAttribute('aria-selected', String(/** @type {HTMLElement} */ (a).dataset.view === view));
  if (view === 'map') map.show().catch(e => toast(e.message));
  document.body.dataset.view = view;
}
window.addEventListener('hashchange', () => show(location.hash.slice(1)));

// ---- library: a page of rows at a time, more as the table scrolls; answers applied in the order asked -------------
/** Rows per page (a test may ask for fewer with ?page-size=N). */
const pageSize = Number(new URLSearchParams(location.search).get('page-size')) || 500;
/** @type {string | null} */
let sort = null;
let desc = false;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let searchTimer;
/** @type {number | null} */
let selected = null;
/** The newest search or sort asked for: an answer to an older one is dropped, whenever it comes. */
let libraryQuery = 0;
/** Rows shown of the current query, and how many match. */
let shown = 0, total = 0;
/** @type {Promise<void> | null} the next page under way */
let more = null;

/** @param {number} offset */
function pageUrl(offset) {
  const params = new URLSearchParams({ limit: String(pageSize), offset: String(offset) });
  const q = $('search').value.trim();
  if (q) params.set('q', q);
  if (sort) { params.set('sort', sort); params.set('desc', String(desc)); }
  return `/api/tracks?${params}`;
}

/** The first page of a new search or sort, replacing the rows. */
async function loadLibrary() {
  const query = ++libraryQuery;
  more = null;
  /** @type {TrackPage} */
  const page = await api(pageUrl(0));
  if (query !== libraryQuery) return; // a newer search or sort was asked for meanwhile
  total = page.total;
  shown = page.tracks.length;
  $('tracks').tBodies[0].replaceChildren(...page.tracks.map(row));
  countLine();
}

/** The next page of the current query, appended (the table scrolled to its end). */
function loadMore() {
  if (more || shown >= total) return more;
  const query = libraryQuery;
  more = (async () => {
    try {
      /** @type {TrackPage} */
      const page = await api(pageUrl(shown));
      if (query !== libraryQuery) return;
      shown += page.tracks.length;
      total = page.total;
      $('tracks').tBodies[0].append(...page.tracks.map(row));
      countLine();
    } finally {
      if (query === libraryQuery) more = null;
    }
  })();
  return more;
}

// The line under the table asks for the next page when it comes near the view.
const moreObserver = new IntersectionObserver(entries => { if (entries.some(e => e.isIntersecting)) loadMore()?.catch(e => toast(e.message)); },
  { root: document.querySelector('.table-wrap'), rootMargin: '400px' });

function countLine() {
  $('library-count').textContent = `${total} track${total === 1 ? '' : 's'}${total > shown ? ` (${shown} shown: scroll for more)` : ''}`;
  $('tracks-more').hidden = shown >= total;
  // observed anew, so a line still in view after a short page asks again (an observer speaks only of changes)
  moreObserver.unobserve($('tracks-more'));
  if (shown < total) moreObserver.observe($('tracks-more'));
}

/** @param {TrackSummary} t */
function row(t) {
  const playing = player.current()?.track.id;
  return el('tr', {
    tabindex: 0, 'data-id': t.id, class: [t.id === selected ? 'selected' : '', t.id === playing ? 'playing' : ''].join(' ').trim() || null,
    onclick: () => select(t.id), ondblclick: () => player.keepPlaying({ track: t }),
    /** @param {KeyboardEvent} e */
    onkeydown: e => {
      const here = /** @type {HTMLElement} */ (e.currentTarget);
      const go = /** @param {Element | null} r */ r => { if (r instanceof HTMLElement) { r.focus(); r.click(); } };
      if (e.key === 'Enter') { player.keepPlaying({ track: t }); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); go(here.nextElementSibling); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); go(here.previousElementSibling); }
    },
  },
  el('td', tagCell(t, 'title'), el('button', { type: 'button', class: 'play-row', 'aria-label': `Keep playing from ${name(t)}`, tabindex: -1,
    /** @param {Event} e */
    onclick: e => { e.stopPropagation(); player.keepPlaying({ track: t }); } }, '▶'), t.title ?? t.fileName),
  el('td', tagCell(t, 'artist'), t.artist ?? ''), el('td', tagCell(t, 'album'), t.album ?? ''), el('td', { class: 'wide' }, t.genre ?? ''),
  el('td', { class: 'num' }, duration(t.durationSeconds)), el('td', { class: 'num' }, fmt(t.tempoBpm)),
  el('td', { title: t.key }, t.camelot ?? ''), el('td', { class: 'num wide' }, fmt(t.energy, 2)),
  el('td', { class: 'num wide' }, fmt(t.danceability, 2)), el('td', { class: 'num wide' }, fmt(t.loudnessLufs, 1)));
}

/**
 * A value the file's tags lack, guessed from its name (title, "Artist - Title") or folder (album): shown as a guess.
 * @param {TrackSummary} t @param {'title' | 'artist' | 'album'} field
 */
function tagCell(t, field) {
  const value = t[field];
  if (!t.guessed?.includes(field)) return { title: value };
  return { class: 'guessed', title: `${value} (guessed from the ${field === 'album' ? 'folder' : 'file name'}: the file has no ${field} tag)` };
}

$('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => loadLibrary().catch(e => toast(e.message)), 120); });
for (const th of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('#tracks th'))) {
  const go = () => {
    if (sort === th.dataset.sort) desc = !desc; else { sort = th.dataset.sort ?? null; desc = false; }
    for (const o of document.querySelectorAll('#tracks th')) o.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
    loadLibrary().catch(e => toast(e.message));
  };
  th.addEventListener('click', go);
  th.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
}

/** The detail panel: a track's descriptors and the tracks that sound like it. @param {number} id */
async function select(id) {
  selected = id;
  for (const r of $('tracks').tBodies[0].rows) r.classList.toggle('selected', Number(r.dataset.id) === id);
  const [detail, similar] = await Promise.all([api(`/api/tracks/${id}`), api(`/api/tracks/${id}/similar?count=8`)]);
  if (selected !== id) return; // another track was chosen meanwhile
  const t = detail.track, d = detail.descriptors;
  /** @param {string} k @param {string | null | undefined} v @param {number} [bar] */
  const line = (k, v, bar) => [el('dt', {}, k), el('dd', {}, v ?? '—', bar != null ? el('span', { class: 'bar', style: `width:${Math.round(Math.max(0, Math.min(1, bar)) * 80)}px` }) : null)];
  $('detail').replaceChildren(
    el('h3', {}, t.title ?? t.fileName), el('div', { class: 'muted' }, `${t.artist ?? ''}${t.album ? ' · ' + t.album : ''}${t.year ? ' · ' + t.year : ''}`),
    el('p', {}, el('button', { type: 'button', class: 'primary', onclick: () => player.keepPlaying({ track: t }) }, '▶ Keep playing from here'), ' ',
      el('button', { type: 'button', onclick: () => { setDot('dots-from', t); location.hash = '#dots'; } }, 'Start dots here')),
    d ? el('dl', {}, line('Tempo', d.tempoBpm != null ? `${fmt(d.tempoBpm, 1)} BPM` : null), line('Key', d.key ? `${d.key} (${d.camelot})` : null),
      line('Loudness', d.loudnessLufs != null ? `${fmt(d.loudnessLufs, 1)} LUFS, range ${fmt(d.loudnessRangeLu, 1)} LU` : null),
      line('Energy', fmt(d.energy, 2), d.energy), line('Danceability', fmt(d.danceability, 2), d.danceability / 3),
      line('Brightness', `${fmt(d.spectralCentroidHz)} Hz`), line('Flatness', fmt(d.spectralFlatness, 3), d.spectralFlatness * 3),
      line('Onsets', `${fmt(d.onsetsPerSecond, 2)} /s`), line('Dynamics', `${fmt(d.dynamicComplexityLu, 2)} LU`),
      line('Length', duration(d.durationSeconds)), line('File', `${detail.codec ?? ''} ${detail.sampleRateHz ?? ''} Hz · ${t.fileName}`))
      : el('p', { class: 'muted' }, 'No descriptors yet.'),
    tagsPanel(id),
    el('h4', {}, `Sounds like (${similar.space})`),
    el('ol', { class: 'queue' }, similar.results.map(/** @param {import('./api.js').Pick} p */ p => renderPick(p, { onPlay: () => player.keepPlaying({ track: p.track }) }))));
}

// ---- keep playing ----------------------------------------------------------------------------
function renderQueue() {
  $('queue').replaceChildren(...player.queue.map((p, i) => renderPick(p, { current: i === player.index, played: i < player.index, onPlay: () => player.playAt(i) })));
  if (player.mode) $('keep-seed').textContent = `From ${player.mode.label}. Like (♥) steers towards a track, dislike (✕) and skip (↷) away.`;
  const cur = player.current();
  $('now-title').textContent = cur ? name(cur.track) : 'Nothing playing';
  $('now-why').textContent = cur?.reasons?.length ? `why: ${cur.reasons.join(' · ')}` : '';
  $('play').textContent = $('audio').paused ? '▶' : '❚❚';
  $('like').classList.toggle('on', !!cur && player.liked.has(cur.track.id));
  for (const r of $('tracks').tBodies[0].rows) r.classList.toggle('playing', Number(r.dataset.id) === cur?.track.id);
  if (document.body.dataset.view === 'map') map.draw();
}
player.onChange(renderQueue);
for (const [id, out, digits] of /** @type {[string, string, number][]} */ ([['keepon', 'keepon-value', 0], ['drunk', 'drunk-value', 2]])) {
  $(id).addEventListener('input', () => { $(out).textContent = Number($(id).value).toFixed(digits); });
  $(id).addEventListener('change', () => player.repick()); // takes effect for the next pick
}
for (const id of ['space', 'tempo', 'energy', 'keycompat', 'norepeat']) $(id).addEventListener('change', () => player.repick());
// the sliders' ranges are the requests' limits, the same in every front end
getLimits().then(l => { $('drunk').max = String(l.maxDrunk); $('keepon').max = String(Math.min(l.maxKeepOn, 10)); }).catch(() => {});

// ---- player buttons and keys -----------------------------------------------------------------
const audio = $('audio');
$('play').addEventListener('click', () => { if (!player.current()) return; audio.paused ? audio.play() : audio.pause(); });
$('next').addEventListener('click', () => player.next());
$('prev').addEventListener('click', () => player.previous());
$('like').addEventListener('click', () => player.feedback('like'));
$('dislike').addEventListener('click', () => player.feedback('dislike'));
$('skip').addEventListener('click', () => player.feedback('skip'));
document.addEventListener('keydown', e => {
  const target = /** @type {HTMLElement} */ (e.target);
  if (target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) {
    if (e.key === 'Escape') target.blur();
    return;
  }
  /** @type {Record<string, () => void>} */
  const keys = { ' ': () => $('play').click(), n: () => player.next(), p: () => player.previous(), l: () => player.feedback('like'),
    d: () => player.feedback('dislike'), s: () => player.feedback('skip'), '/': () => { location.hash = '#library'; $('search').focus(); } };
  if (target.closest('button') && e.key === ' ') return;
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
});

// ---- a file of one's own: drop or choose -----------------------------------------------------
/** @param {File} file */
async function upload(file) {
  toast(`Analysing ${file.name}…`, 60000);
  const form = new FormData();
  form.append('file', file);
  try {
    const result = await api('/api/analyse?count=8', { method: 'POST', body: form });
    const d = result.descriptors;
    toast(`${result.fileName}: ${fmt(d.tempoBpm)} BPM, ${d.key ?? 'no key'}, energy ${fmt(d.energy, 2)}` +
      `${result.audioModel ? ', embedded by the audio model' : ''}. Keep playing songs like it…`);
    location.hash = '#keep';
    await player.keepPlaying({ upload: result.upload, spaces: result.spaces, label: `your file ${result.fileName}` });
  } catch (e) {
    toast(`Could not use ${file.name}: ${/** @type {Error} */ (e).message}`);
  }
}
$('upload-input').addEventListener('change', /** @param {Event} e */ e => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  if (input.files?.[0]) upload(input.files[0]);
  input.value = '';
});
let dragDepth = 0;
document.addEventListener('dragenter', e => { if (e.dataTransfer?.types.includes('Files')) { dragDepth++; $('drop').hidden = false; } });
document.addEventListener('dragleave', () => { if (--dragDepth <= 0) { dragDepth = 0; $('drop').hidden = true; } });
document.addEventListener('dragover', e => e.preventDefault());
document.addEventListener('drop', e => { e.preventDefault(); dragDepth = 0; $('drop').hidden = true; const f = e.dataTransfer?.files?.[0]; if (f) upload(f); });

// ---- join the dots ---------------------------------------------------------------------------
/** @type {PlaylistView | null} */
let dots = null;
/** @param {TrackSummary} t */
const label = t => `${name(t)} #${t.id}`;
/** @param {string} inputId @param {TrackSummary} t */
function setDot(inputId, t) { $(inputId).value = label(t); }
/**
 * The track an input names: "… #id", else the best match of the library search for its words (the server's rule, the
 * same as the CLI's); null when nothing matches.
 * @param {HTMLInputElement} input @returns {Promise<number | null>}
 */
async function dotId(input) {
  const m = /#(\d+)\s*$/.exec(input.value);
  if (m) return Number(m[1]);
  const q = input.value.trim();
  if (!q) return null;
  /** @type {TrackPage} */
  const page = await api(`/api/tracks?${new URLSearchParams({ q, limit: '1' })}`);
  return page.tracks[0]?.id ?? null;
}
$('dots-add-via').addEventListener('click', () => {
  const wrap = el('label', {}, 'Via ', el('input', { list: 'track-names', class: 'via', placeholder: 'waypoint…', autocomplete: 'off' }),
    el('button', { type: 'button', 'aria-label': 'Remove waypoint', onclick: /** @param {Event} e */ e => /** @type {HTMLElement} */ (e.currentTarget).parentElement?.remove() }, '×'));
  $('dots-via').append(wrap);
  wrap.querySelector('input')?.focus();
});
$('dots-preview').addEventListener('click', async () => {
  try {
    const [from, to, ...waypoints] = await Promise.all([$('dots-from'), $('dots-to'),
      .../** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('#dots-via input'))].map(dotId));
    const via = waypoints.filter(v => v != null);
    if (from == null || to == null) { $('dots-message').textContent = 'Choose a start and an end (type and pick from the list).'; return; }
    const s = { tempo: $('tempo').value.trim() || undefined, energy: $('energy').value || undefined, keyCompatible: $('keycompat').checked,
      noRepeatArtist: Number($('norepeat').value) || 0, space: $('space').value || undefined };
    /** @type {PlaylistView} */
    const walk = await api('/api/playlist/join-the-dots', { json: { from, to, via, length: Number($('dots-length').value), ...s } });
    dots = walk;
    $('dots-list').replaceChildren(...walk.tracks.map((p, i) => renderPick(p, { onPlay: () => player.playList(walk.tracks, i) })));
    $('dots-message').textContent = `${walk.tracks.length} tracks, ${fmt(walk.totalMinutes, 1)} minutes, in the ${walk.space} space${walk.gaveWay.length ? '; ' + walk.gaveWay.join('; ') : ''}.`;
    $('dots-play').disabled = $('dots-save').disabled = false;
  } catch (e) { $('dots-message').textContent = /** @type {Error} */ (e).message; }
});
$('dots-play').addEventListener('click', () => dots && player.playList(dots.tracks, 0));
$('dots-save').addEventListener('click', async () => {
  if (!dots) return;
  const first = dots.tracks[0].track, last = dots.tracks[dots.tracks.length - 1].track;
  const response = await api('/api/playlist/m3u8', { json: { tracks: dots.tracks.map(p => p.track.id), name: `${first.title} to ${last.title}` } });
  const blob = await response.blob();
  const a = el('a', { href: URL.createObjectURL(blob), download: `${first.title} to ${last.title}.m3u8` });
  document.body.append(a); a.click(); a.remove();
});

// ---- for you ---------------------------------------------------------------------------------
$('foryou-go').addEventListener('click', async () => {
  try {
    /** @type {import('./api.js').RecommendView} */
    const r = await api(`/api/recommend?user=${encodeURIComponent($('foryou-user').value)}&count=20`);
    $('foryou-message').textContent = `From ${r.source}.`;
    $('foryou-list').replaceChildren(...r.tracks.map((p, i) => renderPick(p, { onPlay: () => player.playList(r.tracks, i) })));
  } catch (e) { $('foryou-message').textContent = /** @type {Error} */ (e).message; $('foryou-list').replaceChildren(); }
});

// ---- the map ---------------------------------------------------------------------------------
const map = createMap({ canvas: $('map'), tip: $('map-tip'), legend: $('map-legend'), info: $('map-info'), note: $('map-note'), colourSelect: $('map-colour'),
  resetButton: $('map-reset'), getTracks, getQueue: () => player, onPick: t => player.keepPlaying({ track: t }) });

// ---- status and progress ---------------------------------------------------------------------
/** @type {string | null} */
let lastCounts = null;
async function poll() {
  try {
    /** @type {Status} */
    const s = await api('/api/status');
    const c = s.counts;
    $('status').replaceChildren(`${c.analysed} tracks analysed${c.pending ? `, ${c.pending} pending` : ''}${c.failed ? `, ${c.failed} failed` : ''} · spaces: ${s.spaces.join(', ')}` +
      ` · ${s.listening.users} listeners · ${s.models.length} models`, ' ',
      el('button', { type: 'button', onclick: () => api('/api/scan', { method: 'POST' }).then(() => toast('Re-scanning the library…')).catch(e => toast(e.message)) }, 'Re-scan'));
    const space = $('space');
    if (space.options.length !== s.spaces.length) space.replaceChildren(...s.spaces.map(n => el('option', { value: n }, n)));
    const p = $('progress'), tr = s.training;
    p.hidden = !s.scan.running && !tr.running;
    if (s.scan.running) {
      $('progress-text').textContent = s.scan.phase === 'discovering' ? 'Scan: discovering files…' : `Scan: ${s.scan.done}/${s.scan.total}`;
      $('progress-bar').max = Math.max(1, s.scan.total); $('progress-bar').value = s.scan.done;
    } else if (tr.running) {
      $('progress-text').textContent = `Training ${tr.space ?? ''}: ${tr.message ?? `${tr.done}/${tr.total}`}`;
      $('progress-bar').max = Math.max(1, tr.total); $('progress-bar').value = tr.done;
    }
    const key = `${c.analysed}/${c.total}`;
    if (lastCounts && key !== lastCounts) { allTracks = null; map.invalidate(); loadLibrary().catch(() => {}); fillNames(); }
    lastCounts = key;
    setTimeout(poll, s.scan.running || tr.running ? 1000 : 5000);
  } catch { setTimeout(poll, 5000); }
}

async function fillNames() {
  const tracks = await getTracks();
  $('track-names').replaceChildren(...tracks.map(t => el('option', { value: label(t) })));
}

Object.assign(window, { earworm: { player, map, getTracks, loadLibrary } });
show(location.hash.slice(1));
loadLibrary().catch(e => toast(e.message));
fillNames().catch(() => {});
poll();
