using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Earworm.Audio.Media;
using Earworm.Audio.Midi;
using Earworm.Audio.Synthesis;

namespace Earworm.Benchmarks;

/// <summary>
/// The autotagger's corpus with exact ground truth: MIDI pieces cut into clips, each rendered several times with random
/// General MIDI programs per channel (and some parts muted) through FluidSynth (TiMidity for FreePats), labelled with the instrument families the
/// clip's MIDI — the file actually rendered — makes sound (<see cref="MidiInstrumentation"/>).
///   Earworm.Benchmarks instrument-set --out DIR [--seconds 20] [--per-feel 8] [--per-style 4] [--blupi-clips 4] [--renders 4]
///       [--train-renders N] [--sparse-train] [--seed 1] [--planetblupi /usr/share/planetblupi/music | none] [--train-fonts SF,SF…] [--validation-fonts SF,SF…] [--test-font SF] [--batch 40]
///       [--extra-pieces N] [--extra-from K] [--extra-seconds 8] [--extra-renders 2] [--vary-effects] [--vary-timbre] [--timbre-share 0.5] [--limit N]
/// Pieces: GrooveWriter's five feels, the demo library's styles written as MIDI (<see cref="Synthesizer.WriteMidi"/>) and
/// Planet Blupi's MIDI soundtrack (excerpts spread over each piece). Each piece goes whole into one split by a hash of
/// its name: test (25 %), validation (15 %), train. Training clips render with the training soundfonts in turn (TimGM6mb,
/// MuseScore General and FreePats — GUS patches, which FluidSynth does not read, so TiMidity renders them
/// (<see cref="TimidityRenderer"/>), each program FreePats lacks played by its nearest one in the same family), validation
/// clips with TimGM6mb and MuseScore General (<c>--validation-fonts</c>), test clips with FluidR3 (fluid-soundfont-gm),
/// which training never hears. Writes DIR/SPLIT/NAME.flac (22 050 Hz mono, no tags that name an
/// instrument), DIR/midi/NAME.mid (what was rendered), DIR/labels.csv (<c>path,tag</c> rows for
/// <c>earworm import tags</c>) and DIR/manifest.tsv. Clips render in medleys (<see cref="MidiClip.Medley"/>), one
/// FluidSynth run per batch, so a soundfont loads once per batch, and cut into clips by one ffmpeg per 64 clips
/// (<see cref="FfmpegEncoder.EncodeClipsAsync"/>); a batch whose files all exist is skipped (resumable).
/// <c>--extra-pieces N</c> adds training data only, leaving the validation and test clips as they were: N more grooves per
/// feel, N more pieces per demo style (their own seeds) and N more excerpts of each training Planet Blupi piece, of
/// <c>--extra-seconds</c> each, every one rendered <c>--extra-renders</c> times (every second rendering with 1–3 melodic
/// parts, as <c>--sparse-train</c>). <c>--extra-from K</c> numbers them from K (their own draws), so a second run with K
/// past the first one's N adds pieces the first has not, in files of their own, to a corpus already rendered.
/// <c>--vary-effects</c> renders half the training batches without FluidSynth's reverb and chorus and with a random
/// gain, so the network hears each soundfont dry and wet, loud and soft. <c>--vary-timbre</c> moves every channel's
/// filter, envelope, vibrato and tuning by a random amount in a share of the training renderings FluidSynth makes
/// (<c>--timbre-share</c>, default half; <see cref="TimbreVariation"/>),
/// so it hears each soundfont's instruments as other soundfonts might voice them.
/// <c>--limit N</c> keeps the first N renderings in rendering order (the clips of the plan grouped by soundfont, length
/// and effects, as FluidSynth renders them, each group where its first clip is: the 20-s clips before the extra pieces;
/// a validation sound's group holds its 20-s training clips as well, so an N meant to keep every validation and test
/// clip counts those too): a smaller corpus that the same N and batch always reproduce, and the part of a longer plan
/// an interrupted run has finished.
/// Then: earworm scan DIR --db DIR/catalog.db; earworm import tags DIR/labels.csv --db DIR/catalog.db;
/// earworm train tags --db DIR/catalog.db --validation-under DIR/validation --test-under DIR/test.
/// </summary>
internal static class InstrumentSet
{
    public const string LabelsFile = "labels.csv", ManifestFile = "manifest.tsv";
    private const int SampleRate = 22050;

    private sealed record Piece(string Name, string Split, MidiFile Clip);

    private sealed record Rendering(string Name, string Split, string SoundFont, MidiFile Midi, IReadOnlyList<string> Families, string Programs)
    {
        /// <summary>The clip's length (its medley slot adds room for the reverb's tail).</summary>
        public double Seconds { get; init; }

        /// <summary>Rendered without reverb and chorus (<c>--vary-effects</c>).</summary>
        public bool Dry { get; init; }

        /// <summary>Each channel's timbre moved at random (<c>--vary-timbre</c>); the MIDI holds the offsets.</summary>
        public bool Varied { get; init; }
    }

    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        var outDir = Directory.CreateDirectory(a.Get("--out") ?? throw new ArgumentException("--out DIR is required")).FullName;
        double seconds = a.Double("--seconds", 20);
        int perFeel = a.Int("--per-feel", 8), perStyle = a.Int("--per-style", 4), blupiClips = a.Int("--blupi-clips", 4);
        int renders = a.Int("--renders", 4), seed = a.Int("--seed", 1), batch = a.Int("--batch", 40);
        int trainRenders = a.Int("--train-renders", renders);
        bool sparse = a.Has("--sparse-train"), varyEffects = a.Has("--vary-effects"), varyTimbre = a.Has("--vary-timbre");
        int extraPieces = a.Int("--extra-pieces", 0), extraRenders = a.Int("--extra-renders", 2), extraFrom = a.Int("--extra-from", 0);
        double extraSeconds = a.Double("--extra-seconds", 8);
        int limit = a.Int("--limit", int.MaxValue);
        double timbreShare = a.Double("--timbre-share", 0.5);
        if (!(timbreShare is >= 0 and <= 1)) throw new ArgumentException("--timbre-share must lie in 0..1");
        if (limit < 1) throw new ArgumentException("--limit must be at least 1");
        if (extraPieces < 0 || extraRenders < 1 || !(extraSeconds is >= 2 and <= 60) || extraFrom is < 0 or > 5_000)
            throw new ArgumentException("--extra-pieces must be ≥ 0, --extra-renders ≥ 1, --extra-seconds in 2..60, --extra-from in 0..5000");
        var blupi = a.Get("--planetblupi") ?? "/usr/share/planetblupi/music";
        var trainFonts = (a.Get("--train-fonts") ?? $"{TimGM},{MuseScoreGeneral},{FreePats}").Split(',');
        var validationFonts = (a.Get("--validation-fonts") ?? $"{TimGM},{MuseScoreGeneral}").Split(',');
        var testFont = a.Get("--test-font") ?? FluidR3;
        foreach (var font in trainFonts.Concat(validationFonts).Append(testFont))
            if (!File.Exists(font))
                throw new FileNotFoundException(Packages.TryGetValue(font, out var package)
                    ? $"soundfont {font} not found: apt-get install -y {package}"
                    : $"soundfont {font} not found (a SoundFont .sf2/.sf3, or a TiMidity .cfg)");
        if (trainFonts.Concat(validationFonts).FirstOrDefault(f => SameSound(f, testFont)) is { } heard)
        {
            var real = RealPath(heard);
            throw new ArgumentException((real == RealPath(testFont)
                ? $"{heard} is the test soundfont{(real != Path.GetFullPath(heard) ? $" (a link to {real})" : "")}"
                : $"{heard} holds the test soundfont's samples (FluidR3's, as {testFont})") + ": the test measures a sound training and validation never hear");
        }
        var patches = trainFonts.Concat(validationFonts).Append(testFont).Where(IsTimidityConfig).Distinct().ToDictionary(f => f, TimidityRenderer.Programs);

        var pieces = Pieces(seconds, perFeel, perStyle, blupiClips, blupi, seed);
        var renderings = Plan(pieces, renders, trainRenders, sparse, trainFonts, validationFonts, testFont, patches, seed)
            .Select(r => r with { Seconds = seconds }).ToList();
        if (extraPieces > 0)
        {
            var extra = ExtraPieces(pieces, extraSeconds, extraFrom, extraPieces, blupi, seed);
            renderings.AddRange(Plan(extra, renders, extraRenders, true, trainFonts, validationFonts, testFont, patches, seed).Select(r => r with { Seconds = extraSeconds }));
        }
        if (varyEffects)
        {
            var vary = new Random(HashOf($"{seed}:effects"));
            renderings = [.. renderings.Select(r => r.Split == "train" && vary.NextDouble() < 0.5 ? r with { Dry = true } : r)];
        }
        if (varyTimbre)
        {
            // a varied rendering's MIDI carries its offsets; its own medleys (the key below), so none reaches a plain one
            var vary = new Random(HashOf($"{seed}:timbre"));
            renderings = [.. renderings.Select(r => r.Split == "train" && !IsTimidityConfig(r.SoundFont) && vary.NextDouble() < timbreShare
                ? r with { Varied = true, Midi = TimbreVariation.Apply(r.Midi, new Random(HashOf($"{seed}:timbre:{r.Name}"))) }
                : r)];
        }
        var order = renderings.GroupBy(r => (r.SoundFont, r.Seconds, r.Dry, r.Varied)).SelectMany(g => g).ToList();
        if (limit < order.Count)
        {
            var kept = order.Take(limit).ToHashSet();
            renderings = [.. renderings.Where(kept.Contains)];
        }
        Console.WriteLine($"{pieces.Count} clips ({string.Join(", ", pieces.GroupBy(p => p.Split).Select(g => $"{g.Count()} {g.Key}"))}), {renderings.Count} renderings");

        Directory.CreateDirectory(Path.Combine(outDir, "midi"));
        var tools = FfmpegTools.Locate();
        var decoder = new FfmpegDecoder(tools);
        var encoder = new FfmpegEncoder(tools);
        int done = 0;
        foreach (var font in renderings.GroupBy(r => (r.SoundFont, r.Seconds, r.Dry, r.Varied)))
        {
            double slot = font.Key.Seconds + 3;       // room for the reverb's tail
            var wet = Renderer(font.Key.SoundFont, effects: !font.Key.Dry, gain: 0.5);
            int chunkIndex = 0;
            foreach (var chunk in font.Chunk(batch))
            {
                // --vary-effects: a dry batch also plays at its own gain (0.25–0.75; FluidSynth's default 0.5)
                var renderer = !font.Key.Dry ? wet : Renderer(font.Key.SoundFont, effects: false,
                    gain: 0.25 + 0.5 * new Random(HashOf($"{seed}:{font.Key}:{chunkIndex++}")).NextDouble());
                if (chunk.All(r => File.Exists(AudioPath(outDir, r))))
                {
                    done += chunk.Length;
                    continue;
                }
                foreach (var r in chunk) MidiWriter.WriteFile(r.Midi, Path.Combine(outDir, "midi", r.Name + ".mid"));
                var wav = Path.Combine(outDir, $"medley-{Guid.NewGuid():N}.wav");
                try
                {
                    await renderer(MidiClip.Medley([.. chunk.Select(r => r.Midi)], slot), wav);
                    var mono = await decoder.DecodeAllAsync(wav, SampleRate, CancellationToken.None);
                    // every clip of the batch cut and encoded by a few ffmpeg processes, not one per clip
                    var clips = new List<AudioClip>();
                    for (int i = 0; i < chunk.Length; i++)
                    {
                        int from = (int)Math.Round(i * slot * SampleRate), length = (int)Math.Round(font.Key.Seconds * SampleRate);
                        from = Math.Min(from, mono.Length - 1);
                        clips.Add(new AudioClip(from, Math.Max(1, Math.Min(length, mono.Length - from)), AudioPath(outDir, chunk[i]),
                            new Dictionary<string, string> { ["title"] = chunk[i].Name }));
                    }
                    await encoder.EncodeClipsAsync(mono, SampleRate, clips, CancellationToken.None);
                }
                finally
                {
                    File.Delete(wav);
                }
                done += chunk.Length;
                Console.Error.WriteLine($"rendered {done}/{renderings.Count} ({Path.GetFileName(font.Key.SoundFont)}{(font.Key.Dry ? ", dry" : "")}{(font.Key.Varied ? ", timbre varied" : "")})");
            }
        }

        var labels = new StringBuilder("item,tag\n");
        var manifest = new StringBuilder("path\tsplit\tsoundfont\tprograms\tfamilies\teffects\ttimbre\n");
        foreach (var r in renderings)
        {
            var path = AudioPath(outDir, r);
            foreach (var family in r.Families) labels.Append(CultureInfo.InvariantCulture, $"\"{path}\",{family}\n");
            manifest.Append(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(outDir, path)}\t{r.Split}\t{Path.GetFileName(r.SoundFont)}\t{r.Programs}\t{string.Join(';', r.Families)}\t{(r.Dry ? "dry" : "wet")}\t{(r.Varied ? "varied" : "as is")}\n");
        }
        await File.WriteAllTextAsync(Path.Combine(outDir, LabelsFile), labels.ToString());
        await File.WriteAllTextAsync(Path.Combine(outDir, ManifestFile), manifest.ToString());
        foreach (var split in renderings.GroupBy(r => r.Split))
        {
            var counts = InstrumentFamilies.All.Select(f => $"{f} {split.Count(r => r.Families.Contains(f))}");
            Console.WriteLine($"{split.Key}: {split.Count()} clips; positives: {string.Join(", ", counts)}");
        }
        Console.WriteLine($"labels: {Path.Combine(outDir, LabelsFile)}");
        return 0;
    }

    private const string TimGM = "/usr/share/sounds/sf2/TimGM6mb.sf2", MuseScoreGeneral = "/usr/share/sounds/sf3/MuseScore_General.sf3",
        FreePats = TimidityRenderer.FreePats, GMBank = "/usr/share/sounds/sf2/sf_GMbank.sf2", Opl3 = "/usr/share/sounds/sf2/OPL-3_FM_128M.sf2",
        FluidR3 = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

    /// <summary>Whether two sound files are one sound: the same file once links are followed (Debian's
    /// <c>default-GM.sf2</c> is a link to FluidR3 where it is installed), or two packagings of FluidR3's samples
    /// (<c>FluidR3_GM.sf2</c>, <c>FluidR3_GS.sf2</c>, MuseScore's <c>FluidR3Mono_GM.sf3</c>).</summary>
    internal static bool SameSound(string a, string b)
    {
        static bool Fluid(string path) => Path.GetFileName(path).Contains("fluidr3", StringComparison.OrdinalIgnoreCase);
        var (x, y) = (RealPath(a), RealPath(b));
        return x == y || (Fluid(x) && Fluid(y));
    }

    /// <summary>A file's full path with every link on the way followed.</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
    }

    /// <summary>The Debian packages that install the sounds named here.</summary>
    private static readonly Dictionary<string, string> Packages = new()
    {
        [TimGM] = "timgm6mb-soundfont", [MuseScoreGeneral] = "musescore-general-soundfont", [FreePats] = "freepats timidity",
        [GMBank] = "csound-soundfont", [Opl3] = "opl3-soundfont", [FluidR3] = "fluid-soundfont-gm",
    };

    /// <summary>A TiMidity configuration (<c>.cfg</c>: GUS patches such as FreePats, which FluidSynth does not read)
    /// rather than a SoundFont.</summary>
    private static bool IsTimidityConfig(string font) => font.EndsWith(".cfg", StringComparison.OrdinalIgnoreCase);

    /// <summary>What renders a medley with <paramref name="font"/>: FluidSynth for a SoundFont, TiMidity for a patch set.</summary>
    private static Func<MidiFile, string, Task> Renderer(string font, bool effects, double gain)
    {
        if (IsTimidityConfig(font))
        {
            var timidity = TimidityRenderer.Locate(new TimidityOptions { ConfigPath = font, SampleRate = SampleRate, Effects = effects, Gain = gain });
            return (midi, wav) => timidity.RenderAsync(midi, wav, CancellationToken.None);
        }
        var fluid = FluidSynthRenderer.Locate(new FluidSynthOptions { SoundFontPath = font, SampleRate = SampleRate, Effects = effects, Gain = gain });
        return (midi, wav) => fluid.RenderAsync(midi, wav, CancellationToken.None);
    }

    /// <summary>The program a patch set plays for <paramref name="program"/>: itself when it has it, else the nearest it
    /// has in the same General MIDI family (a patch set without it would leave the part silent, and the label wrong).</summary>
    private static int Playable(int program, IReadOnlySet<int> available)
    {
        if (available.Contains(program)) return program;
        int family = program / 8 * 8;
        var near = Enumerable.Range(family, 8).Where(available.Contains).OrderBy(p => Math.Abs(p - program)).ToList();
        return near.Count > 0 ? near[0] : program;
    }

    private static string AudioPath(string outDir, Rendering r) => Path.Combine(outDir, r.Split, r.Name + ".flac");

    /// <summary>Every clip: grooves, the demo styles, Planet Blupi's excerpts, each piece in its split.</summary>
    private static List<Piece> Pieces(double seconds, int perFeel, int perStyle, int blupiClips, string blupi, int seed)
    {
        var pieces = new List<Piece>();
        var random = new Random(seed);
        foreach (var feel in Enum.GetValues<Feel>())
        {
            var (min, max) = GrooveSpec.TypicalTempi(feel);
            for (int i = 0; i < perFeel; i++)
            {
                double bpm = Math.Round(min * Math.Pow(max / min, (i + random.NextDouble()) / perFeel), 1);
                var spec = new GrooveSpec(feel, bpm, random.Next(12), i % 2 == 0 ? Mode.Major : Mode.Minor, seconds + 1, seed * 10_000 + (int)feel * 1000 + i);
                var name = $"{MidiSet.Category(feel)}-{i:00}";
                pieces.Add(new Piece(name, SplitOf(name), MidiClip.Cut(GrooveWriter.Write(spec), 0, seconds)));
            }
        }
        foreach (var style in Enum.GetValues<SynthStyle>())
        {
            for (int i = 0; i < perStyle; i++)
            {
                var spec = TrackSpec.Typical(style, random.Next(12), seed * 10_000 + 500 + (int)style * 100 + i, seconds + 1);
                var name = $"{style.ToString().ToLowerInvariant()}-{i:00}";
                pieces.Add(new Piece(name, SplitOf(name), MidiClip.Cut(Synthesizer.WriteMidi(spec), 0, seconds)));
            }
        }
        if (blupi != "none" && Directory.Exists(blupi) && blupiClips > 0)
        {
            foreach (var file in Directory.GetFiles(blupi, "*.mid").Order(StringComparer.Ordinal))
            {
                var midi = MidiReader.ReadFile(file);
                var piece = Path.GetFileNameWithoutExtension(file);
                double duration = MidiClip.DurationSeconds(midi), span = Math.Max(0, duration - 2 - seconds);
                for (int k = 0; k < blupiClips; k++)
                {
                    double start = blupiClips == 1 ? 0 : Math.Min(2 + span * k / (blupiClips - 1), Math.Max(0, duration - seconds));
                    pieces.Add(new Piece($"blupi-{piece}-{k}", SplitOf("blupi-" + piece), MidiClip.Cut(midi, start, seconds)));
                }
            }
        }
        return pieces;
    }

    /// <summary>More training pieces (<c>--extra-pieces</c>), all in the training split and drawn from their own
    /// generator, so the validation and test clips stay exactly as without them: grooves per feel and pieces per demo
    /// style with new seeds, and more excerpts (at random offsets) of the Planet Blupi pieces already in training.</summary>
    private static List<Piece> ExtraPieces(List<Piece> pieces, double seconds, int from, int count, string blupi, int seed)
    {
        var extra = new List<Piece>();
        var random = new Random(HashOf(from == 0 ? $"{seed}:extra" : $"{seed}:extra:{from}"));
        foreach (var feel in Enum.GetValues<Feel>())
        {
            var (min, max) = GrooveSpec.TypicalTempi(feel);
            for (int i = from; i < from + count; i++)
            {
                double bpm = Math.Round(min * Math.Pow(max / min, random.NextDouble()), 1);
                var spec = new GrooveSpec(feel, bpm, random.Next(12), random.Next(2) == 0 ? Mode.Major : Mode.Minor, seconds + 1, seed * 1_000_000 + 100_000 + (int)feel * 10_000 + i);
                extra.Add(new Piece($"x-{MidiSet.Category(feel)}-{i:000}", "train", MidiClip.Cut(GrooveWriter.Write(spec), 0, seconds)));
            }
        }
        foreach (var style in Enum.GetValues<SynthStyle>())
        {
            for (int i = from; i < from + count; i++)
            {
                var spec = TrackSpec.Typical(style, random.Next(12), seed * 1_000_000 + 500_000 + (int)style * 10_000 + i, seconds + 1);
                extra.Add(new Piece($"x-{style.ToString().ToLowerInvariant()}-{i:000}", "train", MidiClip.Cut(Synthesizer.WriteMidi(spec), 0, seconds)));
            }
        }
        if (blupi != "none" && Directory.Exists(blupi))
        {
            var training = pieces.Where(p => p.Split == "train").Select(p => p.Name).ToHashSet();
            foreach (var file in Directory.GetFiles(blupi, "*.mid").Order(StringComparer.Ordinal))
            {
                var piece = Path.GetFileNameWithoutExtension(file);
                if (!training.Contains($"blupi-{piece}-0")) continue;
                var midi = MidiReader.ReadFile(file);
                double span = Math.Max(0, MidiClip.DurationSeconds(midi) - seconds);
                for (int k = from; k < from + count; k++)
                    extra.Add(new Piece($"x-blupi-{piece}-{k:000}", "train", MidiClip.Cut(midi, span * random.NextDouble(), seconds)));
            }
        }
        return extra;
    }

    /// <summary>Each clip's renderings: random programs on every melodic channel, a part in four muted (at least one
    /// melodic part kept), the soundfonts of its split in turn. Training clips render <paramref name="trainRenders"/>
    /// times; with <paramref name="sparse"/> every second training rendering keeps only 1–3 melodic parts (drums half
    /// the time), so the network also hears instruments nearly alone. Validation and test renderings are never changed
    /// by either: each piece draws from its own seeded generator.</summary>
    private static List<Rendering> Plan(List<Piece> pieces, int renders, int trainRenders, bool sparse, IReadOnlyList<string> trainFonts,
        IReadOnlyList<string> validationFonts, string testFont, IReadOnlyDictionary<string, IReadOnlySet<int>> patches, int seed)
    {
        var list = new List<Rendering>();
        foreach (var piece in pieces)
        {
            var random = new Random(HashOf($"{seed}:{piece.Name}"));
            var channels = piece.Clip.NoteChannels;
            var melodic = channels.Where(c => c != MidiFile.DrumChannel).ToList();
            bool train = piece.Split == "train";
            for (int r = 0; r < (train ? trainRenders : renders); r++)
            {
                var programs = melodic.ToDictionary(c => c, _ => random.Next(128));
                bool thin = sparse && train && r % 2 == 1 && melodic.Count > 1;
                HashSet<int> muted;
                if (thin)
                {
                    var kept = melodic.OrderBy(_ => random.Next()).Take(1 + random.Next(Math.Min(3, melodic.Count))).ToHashSet();
                    muted = channels.Where(c => c == MidiFile.DrumChannel ? random.NextDouble() < 0.5 : !kept.Contains(c)).ToHashSet();
                }
                else
                {
                    muted = channels.Where(_ => random.NextDouble() < 0.25).ToHashSet();
                    if (melodic.Count > 0 && melodic.All(muted.Contains)) muted.Remove(melodic[random.Next(melodic.Count)]);
                }
                int turn = (sparse && train ? r / 2 : r) + (piece.Name.StartsWith("x-", StringComparison.Ordinal) ? HashOf(piece.Name) : 0);
                string font = piece.Split switch
                {
                    "test" => testFont,
                    "validation" => validationFonts[turn % validationFonts.Count],
                    _ => trainFonts[turn % trainFonts.Count],
                };
                if (patches.TryGetValue(font, out var available))
                    programs = programs.ToDictionary(p => p.Key, p => Playable(p.Value, available));
                var midi = MidiClip.Without(piece.Clip.WithPrograms(programs), muted);
                var families = MidiInstrumentation.Present(midi);
                if (families.Count == 0) continue;
                var text = string.Join(' ', programs.Where(p => !muted.Contains(p.Key)).Select(p => $"{p.Key}:{p.Value}"));
                list.Add(new Rendering($"{piece.Name}-r{r}", piece.Split, font, midi, families, text));
            }
        }
        return list;
    }

    private static string SplitOf(string piece) => (HashOf(piece) % 100) switch
    {
        < 25 => "test",
        < 40 => "validation",
        _ => "train",
    };

    private static int HashOf(string text) => (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text))) & 0x7FFFFFFF);
}
