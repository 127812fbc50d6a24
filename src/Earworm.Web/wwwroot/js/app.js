// Earworm's page: views switched by the URL hash, the library table, the detail panel, keep playing, join the dots,
// the map, recommendations, dropped files, progress, keyboard shortcuts.
import { api, name, duration, el, toast } from './api.js';
import { player, renderPick } from './player.js';
import { createMap } from './map.js';

const $ = id => document.getElementById(id);
const fmt = (v, d = 0) => v == null ? '' : Number(v).toFixed(d);
let allTracks = null;
const getTracks = async () => allTracks ??= (await api('/api/tracks?limit=20000')).tracks;

// ---- views -----------------------------------------------------------------------------------
const views = ['library', 'keep', 'dots', 'map', 'foryou'];
function show(view) {
  if (!views.includes(view)) view = 'library';
  for (const v of views) $(`view-${v}`).hidden = v !== view;
  for (const a of document.querySelectorAll('.tabs a')) a.setAttribute('aria-selected', String(a.dataset.view === view));
  if (view === 'map') map.show().catch(e => toast(e.message));
  document.body.dataset.view = view;
}
window.addEventListener('hashchange', () => show(location.hash.slice(1)));

// ---- library ---------------------------------------------------------------------------------
let sort = null, desc = false, searchTimer = null, selected = null;
async function loadLibrary() {
  const q = $('search').value.trim();
  const params = new URLSearchParams({ limit: '1000' });
  if (q) params.set('q', q);
  if (sort) { params.set('sort', sort); params.set('desc', String(desc)); }
  const page = await api(`/api/tracks?${params}`);
  $('library-count').textContent = `${page.total} track${page.total === 1 ? '' : 's'}${page.total > page.tracks.length ? ` (first ${page.tracks.length})` : ''}`;
  const body = $('tracks').tBodies[0];
  const playing = player.current()?.track.id;
  body.replaceChildren(...page.tracks.map(t => el('tr', {
    tabindex: 0, 'data-id': t.id, class: [t.id === selected ? 'selected' : '', t.id === playing ? 'playing' : ''].join(' ').trim() || null,
    onclick: () => select(t.id), ondblclick: () => player.keepPlaying({ track: t }),
    onkeydown: e => {
      if (e.key === 'Enter') { player.keepPlaying({ track: t }); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); e.currentTarget.nextElementSibling?.focus(); e.currentTarget.nextElementSibling?.click(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); e.currentTarget.previousElementSibling?.focus(); e.currentTarget.previousElementSibling?.click(); }
    },
  },
  el('td', tagCell(t, 'title'), el('button', { type: 'button', class: 'play-row', 'aria-label': `Keep playing from ${name(t)}`, tabindex: -1,
    onclick: e => { e.stopPropagation(); player.keepPlaying({ track: t }); } }, '▶'), t.title ?? t.fileName),
  el('td', tagCell(t, 'artist'), t.artist ?? ''), el('td', tagCell(t, 'album'), t.album ?? ''), el('td', { class: 'wide' }, t.genre ?? ''),
  el('td', { class: 'num' }, duration(t.durationSeconds)), el('td', { class: 'num' }, fmt(t.tempoBpm)),
  el('td', { title: t.key }, t.camelot ?? ''), el('td', { class: 'num wide' }, fmt(t.energy, 2)),
  el('td', { class: 'num wide' }, fmt(t.danceability, 2)), el('td', { class: 'num wide' }, fmt(t.loudnessLufs, 1)))));
}
// A value the file's tags lack, guessed from its name (title, "Artist - Title") or folder (album): shown as a guess.
function tagCell(t, field) {
  const value = t[field];
  if (!t.guessed?.includes(field)) return { title: value };
  return { class: 'guessed', title: `${value} (guessed from the ${field === 'album' ? 'folder' : 'file name'}: the file has no ${field} tag)` };
}
$('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => loadLibrary().catch(e => toast(e.message)), 120); });
for (const th of document.querySelectorAll('#tracks th')) {
  const go = () => {
    if (sort === th.dataset.sort) desc = !desc; else { sort = th.dataset.sort; desc = false; }
    for (const o of document.querySelectorAll('#tracks th')) o.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
    loadLibrary().catch(e => toast(e.message));
  };
  th.addEventListener('click', go);
  th.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
}

async function select(id) {
  selected = id;
  for (const r of $('tracks').tBodies[0].rows) r.classList.toggle('selected', Number(r.dataset.id) === id);
  const [detail, similar] = await Promise.all([api(`/api/tracks/${id}`), api(`/api/tracks/${id}/similar?count=8`)]);
  const t = detail.track, d = detail.descriptors;
  const row = (k, v, bar) => [el('dt', {}, k), el('dd', {}, v ?? '—', bar != null ? el('span', { class: 'bar', style: `width:${Math.round(Math.max(0, Math.min(1, bar)) * 80)}px` }) : null)];
  $('detail').replaceChildren(
    el('h3', {}, t.title ?? t.fileName), el('div', { class: 'muted' }, `${t.artist ?? ''}${t.album ? ' · ' + t.album : ''}${t.year ? ' · ' + t.year : ''}`),
    el('p', {}, el('button', { type: 'button', class: 'primary', onclick: () => player.keepPlaying({ track: t }) }, '▶ Keep playing from here'), ' ',
      el('button', { type: 'button', onclick: () => { setDot('dots-from', t); location.hash = '#dots'; } }, 'Start dots here')),
    d ? el('dl', {}, row('Tempo', d.tempoBpm != null ? `${fmt(d.tempoBpm, 1)} BPM` : null), row('Key', d.key ? `${d.key} (${d.camelot})` : null),
      row('Loudness', d.loudnessLufs != null ? `${fmt(d.loudnessLufs, 1)} LUFS, range ${fmt(d.loudnessRangeLu, 1)} LU` : null),
      row('Energy', fmt(d.energy, 2), d.energy), row('Danceability', fmt(d.danceability, 2), d.danceability / 3),
      row('Brightness', `${fmt(d.spectralCentroidHz)} Hz`), row('Flatness', fmt(d.spectralFlatness, 3), d.spectralFlatness * 3),
      row('Onsets', `${fmt(d.onsetsPerSecond, 2)} /s`), row('Dynamics', `${fmt(d.dynamicComplexityLu, 2)} LU`),
      row('Length', duration(d.durationSeconds)), row('File', `${detail.codec ?? ''} ${detail.sampleRateHz ?? ''} Hz · ${t.fileName}`))
      : el('p', { class: 'muted' }, 'No descriptors yet.'),
    el('h4', {}, `Sounds like (${similar.space})`),
    el('ol', { class: 'queue' }, similar.results.map(p => renderPick(p, { onPlay: () => player.keepPlaying({ track: p.track }) }))));
}

// ---- keep playing ----------------------------------------------------------------------------
function renderQueue() {
  const q = $('queue');
  q.replaceChildren(...player.queue.map((p, i) => renderPick(p, { current: i === player.index, played: i < player.index, onPlay: () => player.playAt(i) })));
  $('keep-seed').textContent = player.mode ? `From ${player.mode.label}. Like (♥) steers towards a track, dislike (✕) and skip (↷) away.` : $('keep-seed').textContent;
  const cur = player.current();
  $('now-title').textContent = cur ? name(cur.track) : 'Nothing playing';
  $('now-why').textContent = cur?.reasons?.length ? `why: ${cur.reasons.join(' · ')}` : '';
  $('play').textContent = document.getElementById('audio').paused ? '▶' : '❚❚';
  $('like').classList.toggle('on', !!cur && player.liked.has(cur.track.id));
  for (const r of $('tracks').tBodies[0].rows) r.classList.toggle('playing', Number(r.dataset.id) === cur?.track.id);
  if (document.body.dataset.view === 'map') map.draw();
}
player.onChange(renderQueue);
for (const [id, out, digits] of [['keepon', 'keepon-value', 0], ['drunk', 'drunk-value', 2]]) {
  $(id).addEventListener('input', () => { $(out).textContent = Number($(id).value).toFixed(digits); });
  $(id).addEventListener('change', () => player.repick()); // takes effect for the next pick
}
for (const id of ['space', 'tempo', 'energy', 'keycompat', 'norepeat']) $(id).addEventListener('change', () => player.repick());

// ---- player buttons and keys -----------------------------------------------------------------
const audio = $('audio');
$('play').addEventListener('click', () => { if (!player.current()) return; audio.paused ? audio.play() : audio.pause(); });
$('next').addEventListener('click', () => player.next());
$('prev').addEventListener('click', () => player.previous());
$('like').addEventListener('click', () => player.feedback('like'));
$('dislike').addEventListener('click', () => player.feedback('dislike'));
$('skip').addEventListener('click', () => player.feedback('skip'));
document.addEventListener('keydown', e => {
  if (e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) {
    if (e.key === 'Escape') e.target.blur();
    return;
  }
  const keys = { ' ': () => $('play').click(), n: () => player.next(), p: () => player.previous(), l: () => player.feedback('like'),
    d: () => player.feedback('dislike'), s: () => player.feedback('skip'), '/': () => { location.hash = '#library'; $('search').focus(); } };
  if (e.target.closest('button') && e.key === ' ') return;
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
});

// ---- a file of one's own: drop or choose -----------------------------------------------------
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
    toast(`Could not use ${file.name}: ${e.message}`);
  }
}
$('upload-input').addEventListener('change', e => { if (e.target.files[0]) upload(e.target.files[0]); e.target.value = ''; });
let dragDepth = 0;
document.addEventListener('dragenter', e => { if (e.dataTransfer?.types.includes('Files')) { dragDepth++; $('drop').hidden = false; } });
document.addEventListener('dragleave', () => { if (--dragDepth <= 0) { dragDepth = 0; $('drop').hidden = true; } });
document.addEventListener('dragover', e => e.preventDefault());
document.addEventListener('drop', e => { e.preventDefault(); dragDepth = 0; $('drop').hidden = true; const f = e.dataTransfer?.files?.[0]; if (f) upload(f); });

// ---- join the dots ---------------------------------------------------------------------------
let dots = null;
const label = t => `${name(t)} #${t.id}`;
function setDot(inputId, t) { $(inputId).value = label(t); }
function dotId(input) {
  const m = /#(\d+)\s*$/.exec(input.value);
  if (m) return Number(m[1]);
  const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  const hit = words.length && allTracks?.find(t => words.every(w => label(t).toLowerCase().includes(w)));
  return hit ? hit.id : null;
}
$('dots-add-via').addEventListener('click', () => {
  const wrap = el('label', {}, 'Via ', el('input', { list: 'track-names', class: 'via', placeholder: 'waypoint…', autocomplete: 'off' }),
    el('button', { type: 'button', 'aria-label': 'Remove waypoint', onclick: e => e.currentTarget.parentElement.remove() }, '×'));
  $('dots-via').append(wrap);
  wrap.querySelector('input').focus();
});
$('dots-preview').addEventListener('click', async () => {
  const from = dotId($('dots-from')), to = dotId($('dots-to'));
  const via = [...document.querySelectorAll('#dots-via input')].map(dotId).filter(v => v != null);
  if (from == null || to == null) { $('dots-message').textContent = 'Choose a start and an end (type and pick from the list).'; return; }
  try {
    const s = { tempo: $('tempo').value.trim() || undefined, energy: $('energy').value || undefined, keyCompatible: $('keycompat').checked,
      noRepeatArtist: Number($('norepeat').value) || 0, space: $('space').value || undefined };
    dots = await api('/api/playlist/join-the-dots', { json: { from, to, via, length: Number($('dots-length').value), ...s } });
    $('dots-list').replaceChildren(...dots.tracks.map((p, i) => renderPick(p, { onPlay: () => player.playList(dots.tracks, i) })));
    $('dots-message').textContent = `${dots.tracks.length} tracks, ${fmt(dots.totalMinutes, 1)} minutes, in the ${dots.space} space${dots.gaveWay.length ? '; ' + dots.gaveWay.join('; ') : ''}.`;
    $('dots-play').disabled = $('dots-save').disabled = false;
  } catch (e) { $('dots-message').textContent = e.message; }
});
$('dots-play').addEventListener('click', () => dots && player.playList(dots.tracks, 0));
$('dots-save').addEventListener('click', async () => {
  if (!dots) return;
  const first = dots.tracks[0].track, last = dots.tracks.at(-1).track;
  const response = await api('/api/playlist/m3u8', { json: { tracks: dots.tracks.map(p => p.track.id), name: `${first.title} to ${last.title}` } });
  const blob = await response.blob();
  const a = el('a', { href: URL.createObjectURL(blob), download: `${first.title} to ${last.title}.m3u8` });
  document.body.append(a); a.click(); a.remove();
});

// ---- for you ---------------------------------------------------------------------------------
$('foryou-go').addEventListener('click', async () => {
  try {
    const r = await api(`/api/recommend?user=${encodeURIComponent($('foryou-user').value)}&count=20`);
    $('foryou-message').textContent = `From ${r.source}.`;
    $('foryou-list').replaceChildren(...r.tracks.map((p, i) => renderPick(p, { onPlay: () => player.playList(r.tracks, i) })));
  } catch (e) { $('foryou-message').textContent = e.message; $('foryou-list').replaceChildren(); }
});

// ---- the map ---------------------------------------------------------------------------------
const map = createMap({ canvas: $('map'), tip: $('map-tip'), legend: $('map-legend'), info: $('map-info'), note: $('map-note'), colourSelect: $('map-colour'),
  resetButton: $('map-reset'), getTracks, getQueue: () => player, onPick: t => player.keepPlaying({ track: t }) });

// ---- status and progress ---------------------------------------------------------------------
let lastCounts = null;
async function poll() {
  try {
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

window.earworm = { player, map, getTracks };
show(location.hash.slice(1));
loadLibrary().catch(e => toast(e.message));
fillNames().catch(() => {});
poll();
