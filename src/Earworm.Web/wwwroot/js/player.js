// The player: an HTML audio element, a queue of picks ({track, reasons, score, pulledInBy}), feedback that steers,
// and a keep-playing mode whose queue refills itself from the API with the current keep-on and drunk.
import { api, audioUrl, name, el, toast } from './api.js';

const audio = document.getElementById('audio');
const listeners = new Set();

export const player = {
  queue: [],          // picks, played and to come
  index: -1,          // the one playing
  mode: null,         // null | {kind:'keep', seeds:[ids], upload:id|null, spaces:[the upload's spaces]|null, label}
  liked: new Set(),
  avoided: new Set(), // disliked or skipped this session: never picked again
  refilling: false,

  onChange(f) { listeners.add(f); },
  changed() { for (const f of listeners) f(this); },
  current() { return this.queue[this.index] ?? null; },

  playList(picks, startAt = 0) {
    this.mode = null;
    this.queue = picks.slice();
    this.playAt(startAt);
  },

  async keepPlaying(seed) {
    // seed: {track} or {upload, spaces, label} (spaces: where the analysed file can be placed, best first)
    this.mode = { kind: 'keep', seeds: seed.track ? [seed.track.id] : [], upload: seed.upload ?? null, spaces: seed.spaces ?? null,
      label: seed.track ? name(seed.track) : seed.label };
    this.queue = seed.track ? [{ track: seed.track, reasons: ['the seed you chose'], score: 1 }] : [];
    this.index = -1;
    await this.refill(seed.track ? 4 : 5);
    this.playAt(0);
  },

  played() { return this.queue.slice(0, this.index + 1).map(p => p.track.id); },

  // Ask for more tracks near the last keep-on ones (keep-on, drunk and constraints read now).
  async refill(count = 4) {
    if (!this.mode || this.refilling) return;
    this.refilling = true;
    try {
      const ids = this.queue.map(p => p.track.id);
      const s = settings();
      const request = {
        seeds: this.mode.seeds.length ? this.mode.seeds : undefined, upload: this.mode.upload ?? undefined,
        history: ids.filter(id => !this.mode.seeds.includes(id)), length: count, keepOn: s.keepOn, drunk: s.drunk,
        // a file walks the chosen space when it can be placed there (descriptors, audio, their hybrid), else its best one
        space: this.mode.upload && !this.mode.spaces?.includes(s.space) ? undefined : s.space, tempo: s.tempo || undefined, energy: s.energy || undefined,
        keyCompatible: s.keyCompatible, noRepeatArtist: s.noRepeatArtist, liked: [...this.liked], exclude: [...this.avoided],
      };
      const result = await api('/api/playlist/keep-playing', { json: request });
      this.queue.push(...result.tracks);
      if (result.gaveWay.length) toast(result.gaveWay.join('; '));
    } catch (e) {
      toast(`Could not pick the next tracks: ${e.message}`);
    } finally {
      this.refilling = false;
      this.changed();
    }
  },

  // The picks not yet played are dropped and picked again with the current settings.
  async repick() {
    if (!this.mode) return;
    this.queue = this.queue.slice(0, this.index + 1);
    await this.refill(4);
  },

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

  async feedback(kind) {
    const p = this.current();
    if (!p) return;
    try {
      await api('/api/feedback', { json: { trackId: p.track.id, kind, context: this.mode ? 'keep-playing' : 'web' } });
    } catch (e) { toast(e.message); return; }
    if (kind === 'like') { this.liked.add(p.track.id); toast(`Liked ${name(p.track)}: more like it next`); await this.repick(); }
    if (kind === 'dislike') { this.avoided.add(p.track.id); this.liked.delete(p.track.id); toast(`Never again: ${name(p.track)}`); await this.repick(); await this.next(); }
    if (kind === 'skip') { this.avoided.add(p.track.id); await this.repick(); await this.next(); }
    this.changed();
  },
};

function settings() {
  const v = id => document.getElementById(id);
  return {
    keepOn: Number(v('keepon').value), drunk: Number(v('drunk').value), space: v('space').value || undefined,
    tempo: v('tempo').value.trim(), energy: v('energy').value, keyCompatible: v('keycompat').checked,
    noRepeatArtist: Number(v('norepeat').value) || 0,
  };
}

audio.addEventListener('ended', async () => {
  const p = player.current();
  if (p) api('/api/feedback', { json: { trackId: p.track.id, kind: 'play', context: 'web' } }).catch(() => {});
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

export function renderPick(p, { onPlay, current = false, played = false } = {}) {
  return el('li', { class: [current ? 'current' : '', played ? 'played' : ''].join(' ').trim() || null, 'data-id': p.track.id },
    el('span', {}, el('span', { class: 'title' }, p.track.title ?? p.track.fileName), ' ', el('span', { class: 'muted' }, p.track.artist ?? '')),
    el('span', {},
      p.score != null ? el('span', { class: 'score', title: 'similarity' }, p.score.toFixed(2)) : null, ' ',
      onPlay ? el('button', { type: 'button', onclick: onPlay, 'aria-label': `Play ${name(p.track)}` }, '▶') : null),
    p.reasons?.length ? el('span', { class: 'reasons' }, 'why: ', p.reasons.join(' · ')) : null);
}
