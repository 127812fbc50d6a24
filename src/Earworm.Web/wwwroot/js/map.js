// @ts-check
// The library map on a canvas: points from /api/map, coloured by album/genre/artist or a descriptor; wheel zooms,
// drag pans, hover names the track, click plays it (and keeps playing from it); the current queue is drawn as a path.
import { api, name } from './api.js';

/** @typedef {import('./api.js').TrackSummary} TrackSummary */
/** @typedef {import('./api.js').Pick} Pick */
/** A point of the map (GET /api/map): a track's place in [−1, 1]², its colour group. @typedef {{ id: number, x: number, y: number, group?: string | null }} MapPoint */
/** @typedef {MapPoint & { track: TrackSummary }} Placed */
/**
 * How a map was made (GET /api/map).
 * @typedef {{ space: string, method: string, explainedVariance?: number | null, points: MapPoint[], trustworthiness?: number | null,
 *   klDivergence?: number | null, note?: string | null }} LibraryMap
 */
/** @typedef {{ w: number, h: number, dpr: number }} Size */

const palette = ['#7dd3fc', '#f0abfc', '#86efac', '#fcd34d', '#fca5a5', '#a5b4fc', '#5eead4', '#fdba74', '#c4b5fd', '#bef264', '#f9a8d4', '#93c5fd'];

// How the map was made: PCA keeps a share of the variance; the audio model's t-SNE (`earworm inspect model`) its
// trustworthiness (neighbourhoods kept) and final KL divergence.
/** @param {LibraryMap} map */
export function describe(map) {
  if (map.method === 'tsne') {
    const t = map.trustworthiness != null ? `trustworthiness ${map.trustworthiness.toFixed(3)}` : null;
    const kl = map.klDivergence != null ? `KL ${map.klDivergence.toFixed(3)}` : null;
    return `t-SNE of the audio model${[t, kl].some(Boolean) ? ` (${[t, kl].filter(Boolean).join(', ')})` : ''}`;
  }
  return `${map.method.toUpperCase()}${map.explainedVariance != null ? ` (${Math.round(map.explainedVariance * 100)}% of the variance)` : ''}`;
}

/**
 * @param {{ canvas: HTMLCanvasElement, tip: HTMLElement, legend: HTMLElement, info: HTMLElement, note: HTMLElement,
 *   colourSelect: HTMLSelectElement, resetButton: HTMLElement, getTracks: () => Promise<TrackSummary[]>,
 *   getQueue: () => { queue: Pick[], index: number }, onPick: (t: TrackSummary) => void }} parts
 */
export function createMap({ canvas, tip, legend, info, note, colourSelect, resetButton, getTracks, getQueue, onPick }) {
  /** @type {Placed[]} */
  let points = [];
  /** @type {Map<number, Placed>} */
  let byId = new Map();
  let view = { x: 0, y: 0, k: 1 }, fit = 1, loaded = false;
  /** @type {Placed | null} */
  let hover = null;
  /** @type {{ x: number, y: number, vx: number, vy: number, moved: boolean } | null} */
  let drag = null;

  async function load() {
    /** @type {LibraryMap} */
    const map = await api('/api/map');
    const tracks = await getTracks();
    const tmap = new Map(tracks.map(t => [t.id, t]));
    points = map.points.filter(p => tmap.has(p.id)).map(p => ({ ...p, track: /** @type {TrackSummary} */ (tmap.get(p.id)) }));
    byId = new Map(points.map(p => [p.id, p]));
    // Fit the bulk of the library, not its outliers: 95 % of the points inside the view.
    const radii = points.map(p => Math.max(Math.abs(p.x), Math.abs(p.y))).sort((a, b) => a - b);
    fit = Math.min(4, Math.max(1, 0.95 / (radii[Math.floor(radii.length * 0.95)] || 1)));
    view = { x: 0, y: 0, k: fit };
    info.textContent = `${points.length} tracks · ${map.space} space · ${describe(map)}`;
    info.title = map.note ?? '';
    note.hidden = !map.note;
    note.textContent = map.note ? `Note: ${map.note}` : '';
    loaded = true;
    draw();
  }

  function size() {
    const r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(r.width * dpr) || canvas.height !== Math.round(r.height * dpr)) {
      canvas.width = Math.round(r.width * dpr); canvas.height = Math.round(r.height * dpr);
    }
    return { w: r.width, h: r.height, dpr };
  }

  /** @param {MapPoint} p @param {Size} s @returns {[number, number]} */
  function toScreen(p, s) {
    const scale = Math.min(s.w, s.h) * 0.45 * view.k;
    return [s.w / 2 + (p.x + view.x) * scale, s.h / 2 - (p.y + view.y) * scale];
  }

  /** @returns {(p: Placed) => string} */
  function colourOf() {
    const by = colourSelect.value;
    /** @type {Record<string, 'energy' | 'tempoBpm' | 'danceability' | 'loudnessLufs' | 'brightnessHz'>} */
    const numbers = { energy: 'energy', tempo: 'tempoBpm', danceability: 'danceability', loudness: 'loudnessLufs', brightness: 'brightnessHz' };
    const numeric = numbers[by];
    legend.replaceChildren();
    if (numeric) {
      const vals = /** @type {number[]} */ (points.map(p => p.track[numeric]).filter(v => v != null));
      const lo = Math.min(...vals), hi = Math.max(...vals);
      legend.innerHTML = `<span><i style="background:hsl(220 80% 60%)"></i>${by} ${lo.toFixed(1)}</span><span><i style="background:hsl(0 85% 62%)"></i>${hi.toFixed(1)}</span>`;
      return p => { const v = p.track[numeric]; return v == null ? '#555' : `hsl(${220 - 220 * (v - lo) / ((hi - lo) || 1)} 80% 60%)`; };
    }
    /** @type {(p: Placed) => string} */
    const groupOf = by === 'group' ? p => p.group ?? p.track.album ?? '—' : p => String(/** @type {Record<string, unknown>} */ (p.track)[by] ?? '—');
    const groups = [...new Set(points.map(groupOf))].sort();
    const colour = new Map(groups.map((g, i) => [g, palette[i % palette.length]]));
    for (const g of groups.slice(0, 24)) {
      const s = document.createElement('span'); s.innerHTML = `<i style="background:${colour.get(g)}"></i>`; s.append(g); legend.append(s);
    }
    if (groups.length > 24) legend.append(`… ${groups.length - 24} more`);
    return p => colour.get(groupOf(p)) ?? '#555';
  }

  function draw() {
    if (!loaded) return;
    const s = size(), ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
    ctx.clearRect(0, 0, s.w, s.h);
    const colour = colourOf();
    const r = Math.max(2.5, Math.min(7, 3 * Math.sqrt(view.k)));
    for (const p of points) {
      const [x, y] = toScreen(p, s);
      ctx.fillStyle = colour(p);
      ctx.beginPath(); ctx.arc(x, y, r, 0, Math.PI * 2); ctx.fill();
    }
    // the queue as a path, the current track ringed
    const { queue, index } = getQueue();
    const path = /** @type {Placed[]} */ (queue.map(q => byId.get(q.track.id)).filter(Boolean));
    if (path.length > 1) {
      ctx.strokeStyle = '#ffffffcc'; ctx.lineWidth = 1.6; ctx.beginPath();
      path.forEach((p, i) => { const [x, y] = toScreen(p, s); i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
      ctx.stroke();
    }
    path.forEach((p, i) => {
      const [x, y] = toScreen(p, s);
      ctx.fillStyle = '#fff'; ctx.font = '11px system-ui'; ctx.fillText(String(i + 1), x + r + 2, y - r - 1);
    });
    const cur = queue[index] && byId.get(queue[index].track.id);
    if (cur) { const [x, y] = toScreen(cur, s); ctx.strokeStyle = '#fcd34d'; ctx.lineWidth = 2.5; ctx.beginPath(); ctx.arc(x, y, r + 5, 0, Math.PI * 2); ctx.stroke(); }
    if (hover) { const [x, y] = toScreen(hover, s); ctx.strokeStyle = '#fff'; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(x, y, r + 3, 0, Math.PI * 2); ctx.stroke(); }
  }

  /** @param {number} mx @param {number} my @returns {Placed | null} */
  function nearest(mx, my) {
    const s = size();
    let best = null, bestD = 12 * 12;
    for (const p of points) {
      const [x, y] = toScreen(p, s), d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < bestD) { bestD = d; best = p; }
    }
    return best;
  }

  /** @param {MouseEvent} e @returns {[number, number]} */
  const local = e => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  canvas.addEventListener('wheel', e => {
    e.preventDefault();
    const s = size(), [mx, my] = local(e), f = Math.exp(-e.deltaY * 0.0015);
    const scale = Math.min(s.w, s.h) * 0.45 * view.k;
    const wx = (mx - s.w / 2) / scale - view.x, wy = -(my - s.h / 2) / scale - view.y;
    view.k = Math.min(60, Math.max(0.5, view.k * f));
    const scale2 = Math.min(s.w, s.h) * 0.45 * view.k;
    view.x = (mx - s.w / 2) / scale2 - wx; view.y = -(my - s.h / 2) / scale2 - wy;
    draw();
  }, { passive: false });
  canvas.addEventListener('pointerdown', e => { drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false }; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointermove', e => {
    const [mx, my] = local(e);
    if (drag) {
      const s = size(), scale = Math.min(s.w, s.h) * 0.45 * view.k;
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) drag.moved = true;
      view.x = drag.vx + (e.clientX - drag.x) / scale; view.y = drag.vy - (e.clientY - drag.y) / scale;
      draw(); return;
    }
    const h = nearest(mx, my);
    if (h !== hover) { hover = h; draw(); }
    if (h) { tip.hidden = false; tip.textContent = `${name(h.track)}${h.track.album ? ' · ' + h.track.album : ''}`; tip.style.left = `${mx + 12}px`; tip.style.top = `${my + 12}px`; }
    else tip.hidden = true;
  });
  canvas.addEventListener('pointerup', e => {
    const wasDrag = drag?.moved; drag = null;
    if (wasDrag) return;
    const [mx, my] = local(e), p = nearest(mx, my);
    if (p) onPick(p.track);
  });
  canvas.addEventListener('pointerleave', () => { tip.hidden = true; hover = null; draw(); });
  canvas.addEventListener('keydown', e => {
    const step = 0.1 / view.k;
    if (e.key === '+' || e.key === '=') view.k = Math.min(60, view.k * 1.25);
    else if (e.key === '-') view.k = Math.max(0.5, view.k / 1.25);
    else if (e.key === 'ArrowLeft') view.x += step; else if (e.key === 'ArrowRight') view.x -= step;
    else if (e.key === 'ArrowUp') view.y -= step; else if (e.key === 'ArrowDown') view.y += step;
    else return;
    e.preventDefault(); draw();
  });
  colourSelect.addEventListener('change', draw);
  resetButton.addEventListener('click', () => { view = { x: 0, y: 0, k: fit }; draw(); });
  window.addEventListener('resize', draw);

  return {
    async show() { if (!loaded) await load(); draw(); },
    draw,
    invalidate() { loaded = false; },
    // screen position of a track (tests click it)
    /** @param {number} id */
    position(id) { const p = byId.get(id); if (!p) return null; const s = size(); return toScreen(p, s); },
  };
}
