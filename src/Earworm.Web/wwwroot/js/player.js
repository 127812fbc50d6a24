// @ts-check
// The player: an HTML audio element, a queue of picks ({track, reasons, score, pulledInBy}), feedback that steers,
// and a keep-playing mode whose queue refills itself from the API with the current keep-on and drunk.
import { api, audioUrl, name, el, toast } from './api.js';

/** @typedef {import('./api.js').Pick} Pick */
/** @typedef {import('./api.js').TrackSummary} TrackSummary */
/** @typedef {import('./api.js').PlaylistView} PlaylistView */
/**
 * Keep playing from seed tracks or an analysed upload (spaces: where the upload can be placed, best first).
 * @typedef {{ kind: 'keep', seeds: number[], upload: string | null, spaces: string[] | null, label: string }} KeepMode
 */
/** @typedef {{ track?: TrackSummary, upload?: string, spaces?: string[], label?: string }} Seed */

const audio = /** @type {HTMLAudioElement} */ (document.getElementById('audio'));
/** @type {Set<(p: typeof player) => void>} */
const listeners = new Set();
/** @type {Set<(trackId: number, user: string | undefined, kind: string) => void>} */
const feedbackListeners = new Set();

export const player = {
  /** @type {Pick[]} picks, played and to come */
  queue: [],
  /** the one playing */
  index: -1,
  /** @type {KeepMode | null} */
  mode: null,
  /** @type {Set<number>} liked this session: they keep steering */
  liked: new Set(),
  /** @type {Set<number>} disliked or skipped this session: never picked again */
  avoided: new Set(),
  /** tracks asked for and not yet requested (refills run one at a time) */
  wanted: 0,
  /** bumped when the picks to come must be picked again (a like, a dislike, a new setting): an answer to an older
   * request is then dropped and asked again, so no feedback is lost to a refill under way */
  generation: 0,
  /** @type {Promise<void> | null} the refills under way */
  running: null,
  /** @type {string | undefined} whose list is playing (a discovery list's listener): plays, skips and likes are theirs;
   * undefined: the server's listener */
  user: undefined,
  /** what the list playing is, as feedback names it */
  context: 'web',

  /** @param {(p: typeof player) => void} f */
  onChange(f) { listeners.add(f); },
  /** Called after feedback was recorded. @param {(trackId: number, user: string | undefined, kind: string) => void} f */
  onFeedback(f) { feedbackListeners.add(f); },
  /** Records feedback on a track for the list's listener. @param {number} trackId @param {string} kind */
  async record(trackId, kind) {
    await api('/api/feedback', { json: { trackId, kind, user: this.user, context: this.mode ? 'keep-playing' : this.context } });
    for (const f of feedbackListeners) f(trackId, this.user, kind);
  },
  changed() { for (const f of listeners) f(this); },
  /** @returns {Pick | null} */
  current() { return this.queue[this.index] ?? null; },

  /** @param {Pick[]} picks @param {number} [startAt] @param {{ user?: string, context?: string }} [whose] */
  playList(picks, startAt = 0, whose = {}) {
    this.mode = null;
    this.user = whose.user;
    this.context = whose.context ?? 'web';
    this.generation++;
    this.queue = picks.slice();
    this.playAt(startAt);
  },

  /** @param {Seed} seed */
  async keepPlaying(seed) {
    this.user = undefined;
    this.context = 'web';
    this.mode = { kind: 'keep', seeds: seed.track ? [seed.track.id] : [], upload: seed.upload ?? null, spaces: seed.spaces ?? null,
      label: seed.track ? name(seed.track) : seed.label ?? 'your file' };
    this.generation++;
    this.queue = seed.track ? [{ track: seed.track, reasons: ['the seed you chose'], score: 1 }] : [];
    this.index = -1;
    await this.refill(seed.track ? 4 : 5);
    this.playAt(0);
  },

  /** @returns {number[]} */
  played() { return this.queue.slice(0, this.index + 1).map(p => p.track.id); },

  /**
   * Asks for more tracks near the last keep-on ones (keep-on, drunk, constraints and likes read when the request
   * goes). Refills run one at a time; the promise settles when the queue holds what was asked for.
   * @param {number} [count]
   * @returns {Promise<void>}
   */
  refill(count = 4) {
    if (!this.mode) return Promise.resolve();
    this.wanted = Math.max(this.wanted, count);
    this.running ??= this.runRefills().finally(() => { this.running = null; });
    return this.running;
  },

  async runRefills() {
    while (this.wanted > 0 && this.mode) {
      const count = this.wanted, generation = this.generation, mode = this.mode;
      this.wanted = 0;
      try {
        /** @type {PlaylistView} */
        const result = await api('/api/playlist/keep-playing', { json: request(this, mode, count) });
        if (generation !== this.generation) { this.wanted = Math.max(this.wanted, count); continue; } // picked before a like or a repick
        this.queue.push(...result.tracks);
        if (result.gaveWay.length) toast(result.gaveWay.join('; '));
      } catch (e) {
        toast(`Could not pick the next tracks: ${/** @type {Error} */ (e).message}`);
        break;
      } finally {
        this.changed();
      }
    }
  },

  /** The picks not yet played are dropped and picked again with the current settings. */
  repick() {
    if (!this.mode) return Promise.resolve();
    this.generation++;
    this.queue = this.queue.slice(0, this.index + 1);
    return this.refill(4);
  },

  /** @param {number} i */
  playAt(i) {
    if (i < 0 || i >= this.queue.length) return;
    this.index = i;
    audio.src = audioUrl(this.queue[i].track.id);
    audio.play().catch(() => { /* autoplay may need a gesture; the play button works */ });
    this.changed();
    if (this.mode && this.queue.length - this.index <= 2) this.refill();
  },

  async next() {
    if (this.index + 1 >= this.queue.length && this.mode) await this.refill();
    if (this.index + 1 < this.queue.length) this.playAt(this.index + 1);
  },
  previous() {
    if (audio.currentTime > 3 || this.index <= 0) audio.currentTime = 0;
    else this.playAt(this.index - 1);
  },

  /** @param {'like' | 'dislike' | 'skip'} kind */
  async feedback(kind) {
    const p = this.current();
    if (!p) return;
    try {
      await this.record(p.track.id, kind);
    } catch (e) { toast(/** @type {Error} */ (e).message); return; }
    if (kind === 'like') { this.liked.add(p.track.id); toast(`Liked ${name(p.track)}: more like it next`); await this.repick(); }
    if (kind === 'dislike') { this.avoided.add(p.track.id); this.liked.delete(p.track.id); toast(`Never again: ${name(p.track)}`); await this.repick(); await this.next(); }
    if (kind === 'skip') { this.avoided.add(p.track.id); await this.repick(); await this.next(); }
    this.changed();
  },
};

/**
 * The keep-playing request for the next <count> tracks: what was played steers (the seeds first), likes last.
 * @param {typeof player} p @param {KeepMode} mode @param {number} count
 */
function request(p, mode, count) {
  const ids = p.queue.map(q => q.track.id);
  const s = settings();
  return {
    seeds: mode.seeds.length ? mode.seeds : undefined, upload: mode.upload ?? undefined,
    history: ids.filter(id => !mode.seeds.includes(id)), length: count, keepOn: s.keepOn, drunk: s.drunk,
    // a file walks the chosen space when it can be placed there (descriptors, audio, their hybrid), else its best one
    space: mode.upload && !mode.spaces?.includes(s.space ?? '') ? undefined : s.space, tempo: s.tempo || undefined, energy: s.energy || undefined,
    keyCompatible: s.keyCompatible, noRepeatArtist: s.noRepeatArtist, liked: [...p.liked], exclude: [...p.avoided],
  };
}

function settings() {
  /** @param {string} id */
  const v = id => /** @type {HTMLInputElement} */ (document.getElementById(id));
  return {
    keepOn: Number(v('keepon').value), drunk: Number(v('drunk').value), space: v('space').value || undefined,
    tempo: v('tempo').value.trim(), energy: v('energy').value, keyCompatible: v('keycompat').checked,
    noRepeatArtist: Number(v('norepeat').value) || 0,
  };
}

audio.addEventListener('ended', async () => {
  const p = player.current();
  if (p) player.record(p.track.id, 'play').catch(() => {});
  await player.next();
});
// A track that cannot be played (missing file, outside the library, a codec the browser lacks) is passed over.
audio.addEventListener('error', () => {
  const p = player.current();
  if (!p || !audio.getAttribute('src')) return;
  toast(`Cannot play ${name(p.track)}: passed over`);
  player.next();
});
audio.addEventListener('play', () => player.changed());
audio.addEventListener('pause', () => player.changed());

/**
 * A pick as a list item: title, artist, its similarity, a play button, why.
 * @param {Pick} p
 * @param {{ onPlay?: () => void, current?: boolean, played?: boolean }} [options]
 */
export function renderPick(p, { onPlay, current = false, played = false } = {}) {
  return el('li', { class: [current ? 'current' : '', played ? 'played' : ''].join(' ').trim() || null, 'data-id': p.track.id },
    el('span', {}, el('span', { class: 'title' }, p.track.title ?? p.track.fileName), ' ', el('span', { class: 'muted' }, p.track.artist ?? '')),
    el('span', {},
      p.score != null ? el('span', { class: 'score', title: 'similarity' }, p.score.toFixed(2)) : null, ' ',
      onPlay ? el('button', { type: 'button', onclick: onPlay, 'aria-label': `Play ${name(p.track)}` }, '▶') : null),
    p.reasons?.length ? el('span', { class: 'reasons' }, 'why: ', p.reasons.join(' · ')) : null);
}
