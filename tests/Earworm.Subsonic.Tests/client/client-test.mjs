// Drives `earworm serve`'s OpenSubsonic API with the npm client `subsonic-api` (what web and desktop players build on),
// as apps do: every endpoint, with token authentication (u, t = md5(password + s), s) and with an API key; answers as
// JSON (the client's own parsing) and as XML (f=xml), compared with the committed snapshots after the fields that change
// from run to run are normalised. EARWORM_UPDATE_SNAPSHOTS=1 rewrites the snapshots.
// Environment: EARWORM_URL, EARWORM_USER, EARWORM_PASSWORD, EARWORM_API_KEY, EARWORM_SNAPSHOTS, EARWORM_CLIENT_MODULE.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const env = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
const { SubsonicAPI } = await import(pathToFileURL(env("EARWORM_CLIENT_MODULE")).href);
const url = env("EARWORM_URL");
const snapshots = env("EARWORM_SNAPSHOTS");
const update = process.env.EARWORM_UPDATE_SNAPSHOTS === "1";
const token = new SubsonicAPI({ url, auth: { username: env("EARWORM_USER"), password: env("EARWORM_PASSWORD") } });
const keyed = new SubsonicAPI({ url, auth: { apiKey: env("EARWORM_API_KEY") } });
const posting = new SubsonicAPI({ url, auth: { apiKey: env("EARWORM_API_KEY") }, post: true });
const failures = [];
let checked = 0;

// Fields that differ between runs or machines: times, encoded sizes and bit rates (ffmpeg's version), the server's
// version; similarity is kept to two decimals; lists an endpoint shuffles are sorted.
const volatile = new Set(["created", "changed", "starred", "played", "lastModified", "size", "bitRate", "serverVersion"]);
function normaliseJson(value, shuffled) {
  if (Array.isArray(value)) {
    const items = value.map((v) => normaliseJson(v, shuffled));
    return shuffled ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  }
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (volatile.has(k)) continue;
      out[k] = k === "similarity" ? Math.round(v * 100) / 100 : normaliseJson(v, shuffled);
    }
    return out;
  }
  return value;
}
function normaliseXml(text, shuffled) {
  let xml = text.replace(/ (created|changed|starred|played|lastModified|size|bitRate|serverVersion)="[^"]*"/g, "")
    .replace(/ similarity="([-0-9.eE]+)"/g, (_, v) => ` similarity="${Math.round(Number(v) * 100) / 100}"`);
  if (shuffled) { // one element per line, sorted: the set of answers, not their order
    const lines = xml.replace(/></g, ">\n<").split("\n");
    xml = [lines[0], lines[1], ...lines.slice(2, -2).sort(), ...lines.slice(-2)].join("\n");
  }
  return xml.replace(/></g, ">\n<") + "\n";
}

function compare(name, actual) {
  const file = join(snapshots, name);
  checked++;
  if (update || !existsSync(file)) {
    mkdirSync(snapshots, { recursive: true });
    writeFileSync(file, actual);
    if (!update) failures.push(`${name}: no snapshot yet (written; commit it)`);
    return;
  }
  const expected = readFileSync(file, "utf8");
  if (expected !== actual) failures.push(`${name}: differs from the snapshot (EARWORM_UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n${expected.slice(0, 1500)}\n--- actual\n${actual.slice(0, 1500)}`);
}

// One endpoint: called through the client's method with both authentications (same answer), and as XML.
async function snapshot(name, call, params = {}, { shuffled = false, method = name } = {}) {
  const viaToken = await call(token);
  const viaKey = await call(keyed);
  for (const r of [viaToken, viaKey]) assert.equal(r.status, "ok", `${name}: ${JSON.stringify(r.error)}`);
  const json = JSON.stringify(normaliseJson(viaToken, shuffled), null, 1) + "\n";
  assert.equal(JSON.stringify(normaliseJson(viaKey, shuffled), null, 1) + "\n", json, `${name}: token and API key answers differ`);
  compare(`${name}.json`, json);
  const xml = await (await keyed.custom(`${method}.view`, { ...params, f: "xml" })).text();
  assert.match(xml, /status="ok"/, `${name} as XML: ${xml.slice(0, 300)}`);
  compare(`${name}.xml`, normaliseXml(xml, shuffled));
  return viaToken;
}

const step = async (name, body) => {
  try { await body(); } catch (e) { failures.push(`${name}: ${e.stack ?? e}`); }
};

// Browsing, as folder-based apps (DSub, the Subsonic Android app) and ID3 apps (Symfonium, Feishin, Supersonic) walk it.
let artistId, albumId, songId, songs = [];
await step("browse", async () => {
  await snapshot("ping", (c) => c.ping());
  await snapshot("getLicense", (c) => c.getLicense());
  await snapshot("getOpenSubsonicExtensions", (c) => c.getOpenSubsonicExtensions());
  await snapshot("getMusicFolders", (c) => c.getMusicFolders());
  const indexes = await snapshot("getIndexes", (c) => c.getIndexes());
  const artists = await snapshot("getArtists", (c) => c.getArtists());
  artistId = artists.artists.index[0].artist[0].id;
  assert.equal(indexes.indexes.index[0].artist[0].id, artistId);
  await snapshot("getMusicDirectory-artist", (c) => c.getMusicDirectory({ id: artistId }), { id: artistId }, { method: "getMusicDirectory" });
  const artist = await snapshot("getArtist", (c) => c.getArtist({ id: artistId }), { id: artistId });
  albumId = artist.artist.album[0].id;
  await snapshot("getMusicDirectory-album", (c) => c.getMusicDirectory({ id: albumId }), { id: albumId }, { method: "getMusicDirectory" });
  const album = await snapshot("getAlbum", (c) => c.getAlbum({ id: albumId }), { id: albumId });
  songId = album.album.song[0].id;
  await snapshot("getSong", (c) => c.getSong({ id: songId }), { id: songId });
  const genres = await snapshot("getGenres", (c) => c.getGenres());
  const genre = genres.genres.genre[0].value;
  await snapshot("getSongsByGenre", (c) => c.getSongsByGenre({ genre, count: 5 }), { genre, count: 5 });
  await snapshot("getAlbumInfo2", (c) => c.getAlbumInfo2({ id: albumId }), { id: albumId });
  await snapshot("getAlbumInfo", (c) => c.getAlbumInfo({ id: songId }), { id: songId });
  const user = env("EARWORM_USER");
  const me = await token.getUser({ username: user });
  assert.equal(me.user.username, user);
  assert.equal(me.user.streamRole, true);
  assert.deepEqual(me.user.folder, [1]);
  assert.equal((await token.getUser({ username: "somebody else" })).error.code, 50);
  await snapshot("getScanStatus", (c) => c.getScanStatus());
});

await step("lists", async () => {
  for (const type of ["newest", "alphabeticalByName", "alphabeticalByArtist", "frequent", "recent", "highest", "starred"])
    await snapshot(`getAlbumList2-${type}`, (c) => c.getAlbumList2({ type, size: 5 }), { type, size: 5 }, { method: "getAlbumList2" });
  await snapshot("getAlbumList2-random", (c) => c.getAlbumList2({ type: "random", size: 500 }), { type: "random", size: 500 }, { method: "getAlbumList2", shuffled: true });
  await snapshot("getAlbumList2-byYear", (c) => c.getAlbumList2({ type: "byYear", fromYear: 2030, toYear: 1990 }), { type: "byYear", fromYear: 2030, toYear: 1990 }, { method: "getAlbumList2" });
  await snapshot("getAlbumList2-byGenre", (c) => c.getAlbumList2({ type: "byGenre", genre: "Rock" }), { type: "byGenre", genre: "Rock" }, { method: "getAlbumList2" });
  await snapshot("getRandomSongs", (c) => c.getRandomSongs({ size: 500 }), { size: 500 }, { shuffled: true });
  await snapshot("search3", (c) => c.search3({ query: "piano" }), { query: "piano" });
  // the versions from before ID3 tags, which apps browsing by folder call: albums as directory entries
  await snapshot("getAlbumList-alphabeticalByName", (c) => c.getAlbumList({ type: "alphabeticalByName", size: 5 }), { type: "alphabeticalByName", size: 5 }, { method: "getAlbumList" });
  await snapshot("search2", (c) => c.search2({ query: "piano" }), { query: "piano" });
  // Offline sync (Symfonium, Tempo): an empty query, a page at a time, until a page comes back short.
  for (let offset = 0; ; offset += 8) {
    const page = await keyed.search3({ query: '""', songCount: 8, songOffset: offset, artistCount: 0, albumCount: 0 });
    const got = page.searchResult3.song ?? [];
    songs.push(...got);
    if (got.length < 8) break;
  }
  assert.equal(songs.length, new Set(songs.map((s) => s.id)).size, "no song twice across pages");
  const all = await keyed.getRandomSongs({ size: 500 });
  assert.equal(songs.length, all.randomSongs.song.length, "the empty query pages through the whole library");
});

// Media: ranges, transcoding from an offset, download, cover art.
await step("media", async () => {
  const whole = new Uint8Array(await (await keyed.download({ id: songId })).arrayBuffer());
  assert.ok(whole.length > 1000);
  const raw = await keyed.stream({ id: songId });
  assert.equal(raw.status, 200);
  assert.deepEqual(new Uint8Array(await raw.arrayBuffer()), whole, "stream without transcoding is the file");
  const mp3 = new Uint8Array(await (await keyed.stream({ id: songId, format: "mp3", maxBitRate: 64, timeOffset: 2 })).arrayBuffer());
  assert.ok(mp3.length > 1000 && (mp3[0] === 0x49 || mp3[0] === 0xff), `an MP3 stream (${mp3.length} bytes)`);
  const cover = await token.getCoverArt({ id: albumId, size: 64 });
  assert.ok(cover.status === 200 || /code="70"/.test(await cover.clone().text()), "a picture or not found");
});

// Listening: what the listener does is recorded and shows.
await step("listening", async () => {
  await token.scrobble({ id: songId, submission: true });
  await token.scrobble({ id: [songs[1].id, songs[2].id], submission: true });
  await posting.scrobble({ id: songs[3].id, submission: false });
  await posting.star({ id: [songs[1].id, songs[2].id], albumId, artistId });
  await token.unstar({ id: songs[2].id });
  await token.setRating({ id: songs[4].id, rating: 1 });
  await snapshot("getStarred2", (c) => c.getStarred2());
  await snapshot("getStarred", (c) => c.getStarred());
  await snapshot("getSong-played", (c) => c.getSong({ id: songId }), { id: songId }, { method: "getSong" });
  await snapshot("getSong-disliked", (c) => c.getSong({ id: songs[4].id }), { id: songs[4].id }, { method: "getSong" });
  await snapshot("getAlbumList2-frequent-played", (c) => c.getAlbumList2({ type: "frequent", size: 5 }), { type: "frequent", size: 5 }, { method: "getAlbumList2" });
  await snapshot("getTopSongs", (c) => c.getTopSongs({ artist: songs[1].artist, count: 3 }), { artist: songs[1].artist, count: 3 });
  const made = await token.createPlaylist({ name: "Road trip", songId: [songs[0].id, songs[5].id, songs[6].id] });
  const id = made.playlist.id;
  await posting.updatePlaylist({ playlistId: id, name: "Road trip 2", songIdToAdd: [songs[7].id], songIndexToRemove: [0] });
  const got = await keyed.getPlaylist({ id });
  assert.deepEqual(got.playlist.entry.map((e) => e.id), [songs[5].id, songs[6].id, songs[7].id]);
  await snapshot("getPlaylists", (c) => c.getPlaylists());
  // the play queue one app keeps, another takes up where it was
  assert.equal((await keyed.getPlayQueue()).playQueue, undefined, "no queue kept yet");
  await posting.savePlayQueue({ id: [songs[2].id, songs[3].id, songs[4].id], current: songs[3].id, position: 61500 });
  const queue = await snapshot("getPlayQueue", (c) => c.getPlayQueue());
  assert.deepEqual(queue.playQueue.entry.map((e) => e.id), [songs[2].id, songs[3].id, songs[4].id]);
  assert.equal(queue.playQueue.current, songs[3].id);
  assert.equal(queue.playQueue.position, 61500);
  await token.savePlayQueue({});
  assert.equal((await keyed.getPlayQueue()).playQueue, undefined, "an empty queue saved is none kept");
  await token.deletePlaylist({ id });
  assert.equal((await keyed.getPlaylists()).playlists.playlist, undefined);
});

// Recommendations: the Instant Mix from a song, an album and an artist; similar artists; sonic similarity.
await step("recommendations", async () => {
  await snapshot("getSimilarSongs", (c) => c.getSimilarSongs({ id: songId, count: 5 }), { id: songId, count: 5 });
  await snapshot("getSimilarSongs2", (c) => c.getSimilarSongs2({ id: songId, count: 5 }), { id: songId, count: 5 });
  await snapshot("getSimilarSongs2-album", (c) => c.getSimilarSongs2({ id: albumId, count: 4 }), { id: albumId, count: 4 }, { method: "getSimilarSongs2" });
  await snapshot("getSimilarSongs2-artist", (c) => c.getSimilarSongs2({ id: artistId, count: 4 }), { id: artistId, count: 4 }, { method: "getSimilarSongs2" });
  await snapshot("getArtistInfo2", (c) => c.getArtistInfo2({ id: artistId, count: 3 }), { id: artistId, count: 3 });
  await snapshot("getArtistInfo", (c) => c.getArtistInfo({ id: artistId, count: 3 }), { id: artistId, count: 3 });
  const similar = await snapshot("getSonicSimilarTracks", (c) => c.customJSON("getSonicSimilarTracks.view", { id: songId, count: 6 }), { id: songId, count: 6 });
  assert.equal(similar.sonicMatch.length, 6);
  for (const m of similar.sonicMatch) assert.ok(m.similarity >= 0 && m.similarity <= 1 && m.entry.id !== songId);
  const end = songs[songs.length - 1].id;
  const path = await snapshot("findSonicPath", (c) => c.customJSON("findSonicPath.view", { startSongId: songId, endSongId: end, count: 7 }),
    { startSongId: songId, endSongId: end, count: 7 });
  assert.equal(path.sonicMatch.length, 7);
  assert.equal(path.sonicMatch[0].entry.id, songId);
  assert.equal(path.sonicMatch[6].entry.id, end);
  assert.equal(path.sonicMatch[0].similarity, 1);
});

// The errors a client sees: its own error object, HTTP 200.
await step("errors", async () => {
  const missing = await keyed.getSong({ id: "999999" });
  assert.equal(missing.status, "failed");
  assert.equal(missing.error.code, 70);
  const wrong = await new SubsonicAPI({ url, auth: { username: env("EARWORM_USER"), password: "wrong" } }).ping();
  assert.equal(wrong.error.code, 40);
  const bad = await new SubsonicAPI({ url, auth: { apiKey: "nope" } }).ping();
  assert.equal(bad.error.code, 44);
  const lacking = await keyed.getPodcasts();   // a feature Earworm lacks is a generic error, not "not found"
  assert.equal(lacking.error.code, 0);
});

if (failures.length > 0) {
  console.error(failures.join("\n\n"));
  console.error(`${failures.length} of ${checked} snapshot checks or steps failed`);
  process.exit(1);
}
console.log(`subsonic-api client: ${checked} snapshots match, every step passed`);
