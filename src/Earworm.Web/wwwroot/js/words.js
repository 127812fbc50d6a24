// @ts-check
// Words: a playlist asked for in words ("calm piano for the evening"), and a track's tags, which a person adds and removes.
import { api, el, toast } from './api.js';
import { player, renderPick } from './player.js';

/** @typedef {import('./api.js').PlaylistView} PlaylistView */
/** A tag as the API shows it. @typedef {{ tag: string, score: number, source: string }} Tag */
/** @typedef {{ trackId: number, tags: Tag[] }} TrackTags */

/** @param {string} id @returns {any} */
const $ = id => /** @type {any} */ (document.getElementById(id));

/** The answer to the words asked last: an older answer arriving later is dropped. */
let asked = 0;

/** Asks for a playlist in words and lists it, each track with the words that pulled it in. @param {string} text */
export async function ask(text) {
  const mine = ++asked;
  const message = $('words-message');
  if (!text.trim()) { message.textContent = 'Say in words what to play, e.g. “calm piano for the evening”.'; return; }
  message.textContent = 'Looking…';
  try {
    /** @type {PlaylistView} */
    const r = await api('/api/playlist/words', { json: { text, length: 15, space: $('space').value || null } });
    if (mine !== asked) return;
    message.textContent = `${r.tracks.length} tracks in the ${r.space} space. ${r.gaveWay.join(' ')}`;
    $('words-list').replaceChildren(...r.tracks.map((p, i) => renderPick(p, { onPlay: () => player.playList(r.tracks, i) })));
    if (r.tracks.length > 0) player.playList(r.tracks, 0);
  } catch (e) {
    if (mine !== asked) return;
    message.textContent = /** @type {Error} */ (e).message;
    $('words-list').replaceChildren();
  }
}

$('words-form').addEventListener('submit', /** @param {Event} e */ e => { e.preventDefault(); ask($('words').value); });

/**
 * A track's tags for the detail panel: each with its source; a person's own (source user) with ✕ to remove it; a box to add one.
 * @param {number} id
 * @returns {HTMLElement}
 */
export function tagsPanel(id) {
  const list = el('ul', { class: 'tags', 'aria-label': 'Tags' });
  const box = /** @type {HTMLInputElement} */ (el('input', { placeholder: 'add a tag…', 'aria-label': 'Add a tag', size: 14 }));
  /** @param {TrackTags} t */
  const render = t => list.replaceChildren(...(t.tags.length === 0 ? [el('li', { class: 'muted' }, 'no tags yet')] : t.tags.map(tag =>
    el('li', { class: `tag ${tag.source}`, title: `${tag.source}, score ${Number(tag.score.toFixed(3))}` }, tag.tag,
      tag.source === 'user' ? el('button', { type: 'button', 'aria-label': `Remove tag ${tag.tag}`,
        onclick: () => edit(api(`/api/tracks/${id}/tags/${encodeURIComponent(tag.tag)}`, { method: 'DELETE' })) }, '✕') : null))));
  /** @param {Promise<TrackTags>} request */
  const edit = request => request.then(render).catch(e => toast(e.message));
  const form = el('form', { class: 'tag-add', onsubmit: /** @param {Event} e */ e => {
    e.preventDefault();
    if (box.value.trim()) edit(api(`/api/tracks/${id}/tags`, { json: { tag: box.value } }).then(t => { box.value = ''; return t; }));
  } }, box, el('button', { type: 'submit' }, 'Add'));
  edit(api(`/api/tracks/${id}/tags`));
  return el('div', { class: 'track-tags' }, el('h4', {}, 'Tags'), list, form);
}
