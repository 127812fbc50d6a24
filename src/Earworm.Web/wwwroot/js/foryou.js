// @ts-check
// "For you": the listener's discovery list (GET /api/discover): tracks by artists they never played, each marked as
// their taste's pick or an exploration arm's, with why and the probability it was chosen. Played from here, plays,
// skips and likes are the listener's (the player sends their name), so they reach the event log and the next list
// reacts: what they played or liked leaves it, and each arm's evidence grows. Without a cf model it falls back to
// recommendations steered by the listener's likes.
import { api, el, toast } from './api.js';
import { player, renderPick } from './player.js';

/**
 * A pick of a discovery list (Earworm.Web.Views.DiscoverPickView): a Pick, why, its arm (null: taste), its propensity.
 * @typedef {import('./api.js').Pick & { why: string, arm: string | null, explored: boolean, propensity: number }} DiscoverPick
 */
/** @typedef {{ name: string, explanation: string, alpha: number, beta: number, outcomes: number, candidates: number }} ArmState */
/**
 * @typedef {{ user: string, source: string, playlistName: string, tracks: DiscoverPick[], arms: ArmState[], newArtists: number,
 *   notes: string[], savedPlaylistId: number | null }} DiscoverView
 */

/** @param {string} id @returns {any} */
const $ = id => /** @type {any} */ (document.getElementById(id));

/** The list shown now (its listener's), so feedback on one of its picks asks for the next list. */
let listener = '';
/** @type {Set<number>} */
let shownIds = new Set();

/** Asks for the listener's list and shows it (save: keep it as the week's playlist). @param {boolean} [save] */
export async function discover(save = false) {
  const user = $('foryou-user').value.trim();
  const explore = Number($('foryou-explore').value);
  try {
    /** @type {DiscoverView} */
    const d = await api(`/api/discover?user=${encodeURIComponent(user)}&count=20&explore=${explore}${save ? '&save=true' : ''}`);
    listener = d.user;
    shownIds = new Set(d.tracks.map(p => p.track.id));
    const explored = d.tracks.filter(p => p.explored).length;
    $('foryou-message').textContent = `${d.tracks.length} tracks by ${d.newArtists} artists new to ${d.user}, ${explored} explored · ${d.source}` +
      (d.savedPlaylistId != null ? ` · saved as “${d.playlistName}”` : '') + (d.notes.length ? ` · ${d.notes.join('; ')}` : '');
    $('foryou-list').replaceChildren(...d.tracks.map((p, i) => {
      const li = renderPick(p, { onPlay: () => player.playList(d.tracks, i, { user: d.user, context: 'discover' }) });
      li.firstElementChild?.append(' ', el('span', { class: `arm ${p.explored ? 'explored' : 'taste'}`, title: p.why },
        p.explored ? `explored · ${p.arm}` : 'taste'));
      return li;
    }));
    $('foryou-arms').replaceChildren('Exploring: ', ...d.arms.flatMap((a, k) => [k ? ' · ' : '',
      el('span', { class: 'arm-state', 'data-arm': a.name, title: a.explanation },
        `${a.name}: ${a.outcomes} outcome${a.outcomes === 1 ? '' : 's'} (Beta ${a.alpha.toFixed(0)}, ${a.beta.toFixed(0)}), ${a.candidates} candidates`)]));
    $('foryou-save').disabled = false;
  } catch (e) {
    await likesInstead(user, /** @type {Error} */ (e).message);
  }
}

/** Recommendations steered by the listener's likes, when there is no discovery list. @param {string} user @param {string} why */
async function likesInstead(user, why) {
  listener = '';
  shownIds = new Set();
  $('foryou-arms').replaceChildren();
  $('foryou-save').disabled = true;
  try {
    /** @type {import('./api.js').RecommendView} */
    const r = await api(`/api/recommend?user=${encodeURIComponent(user)}&count=20`);
    $('foryou-message').textContent = `No discovery list (${why}). From ${r.source}.`;
    $('foryou-list').replaceChildren(...r.tracks.map((p, i) => renderPick(p, { onPlay: () => player.playList(r.tracks, i, { user, context: 'web' }) })));
  } catch (e) { $('foryou-message').textContent = `${why}; ${/** @type {Error} */ (e).message}`; $('foryou-list').replaceChildren(); }
}

export function createForYou() {
  $('foryou-go').addEventListener('click', () => discover());
  $('foryou-save').addEventListener('click', () => discover(true).then(() => toast('Saved as this week’s playlist')));
  $('foryou-explore').addEventListener('input', () => { $('foryou-explore-value').value = Number($('foryou-explore').value).toFixed(2); });
  // the listener's feedback on a pick of the list shown: the next list reacts
  player.onFeedback((trackId, user) => {
    if (listener && user === listener && shownIds.has(trackId) && !$('view-foryou').hidden) discover().catch(() => {});
  });
}
