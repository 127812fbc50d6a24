using System.Globalization;

namespace Earworm.Content.Sequences;

/// <summary>The two neural next-item models.</summary>
public enum SequenceArchitecture
{
    /// <summary>Self-attention over the history (Kang &amp; McAuley 2018).</summary>
    SasRec,

    /// <summary>A gated recurrent unit over the history (Hidasi et al. 2016; Hidasi &amp; Karatzoglou 2018).</summary>
    Gru4Rec,
}

/// <summary>What a next-item network learns to minimise at each position, against the sampled negatives.</summary>
public enum SequenceLoss
{
    /// <summary>Binary cross-entropy: the target up, each negative down (SASRec's).</summary>
    BinaryCrossEntropy,

    /// <summary>BPR-max: the target above the negatives weighted by their softmax (GRU4Rec's, Hidasi &amp; Karatzoglou 2018).</summary>
    BprMax,

    /// <summary>Sampled softmax: cross-entropy of the target among itself and the negatives (as Hidasi &amp; Karatzoglou 2018
    /// and Klenitskiy &amp; Vasilev 2023 train them, where it beat the others).</summary>
    SampledSoftmax,

    /// <summary>Full softmax: cross-entropy of the target among every item of the output vocabulary (Klenitskiy &amp;
    /// Vasilev 2023's SASRec+ when the catalogue is small enough; with <see cref="SequenceModelOptions.MinCount"/> the
    /// vocabulary is the items seen that often).</summary>
    FullSoftmax,
}

/// <summary>What a next-item network learns to predict from each position.</summary>
public enum SequenceTarget
{
    /// <summary>The next played entry (the papers').</summary>
    Next,

    /// <summary>Every played entry among the next <see cref="SequenceModelOptions.Window"/> ones, each a target of the
    /// position's softmax with the same weight (a "future window" or dense all-action loss, as PinnerFormer's, Pancha et
    /// al. 2022): the task of continuing a playlist, where the rest is asked as a set, not only its next track.</summary>
    Window,
}

/// <summary>How a next-item network's item embeddings start.</summary>
public enum SequenceInit
{
    /// <summary>Gaussian, as the papers.</summary>
    Random,

    /// <summary>From the items' co-occurrence in the training sequences: the truncated SVD of their positive pointwise
    /// mutual information within a window (Levy &amp; Goldberg 2014), input and output embeddings alike, so an item seen
    /// in one sequence starts beside the items it was listened with. Items that co-occur with none start at random.</summary>
    Cooccurrence,
}

/// <summary>How the step size moves over training.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same step throughout.</summary>
    Constant,

    /// <summary>A linear warm-up over the first epoch's batches (at most a tenth of all), then a cosine decay to zero at the
    /// last epoch's end.</summary>
    Cosine,
}

/// <summary>How a next-item network is built and trained. The architecture follows the papers where it fits a CPU:
/// SASRec with 2 blocks, 1 head, d 64, length 50, dropout 0.2; GRU4Rec with GRU layers of 64. The training defaults
/// are what won on the playlist stand-in (bench/README.md, chosen by validation on a stand-in drawn with another seed):
/// a full softmax over the items played at least twice, embeddings started from the items' co-occurrence, artist and
/// album embeddings beside the tracks' own with training reading the inputs by them alone, batches of 64 windows, Adam
/// at 10⁻³ for 5 epochs.</summary>
public sealed record SequenceModelOptions
{
    public SequenceArchitecture Architecture { get; init; } = SequenceArchitecture.SasRec;

    /// <summary>Item embedding and hidden size (default 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>SASRec: self-attention blocks; GRU4Rec: GRU layers (default 2; GRU4Rec's usual is 1).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>SASRec: attention heads; must divide the embedding size (default 1).</summary>
    public int Heads { get; init; } = 1;

    /// <summary>The longest history the network reads: older entries are cut (default 50).</summary>
    public int MaxLength { get; init; } = 50;

    public double Dropout { get; init; } = 0.2;

    /// <summary>With a sampled loss: negatives per positive, shared by the batch (default 16 for SASRec, where the paper
    /// draws one: on the Markov test 16 learn several times faster per epoch; 64 for GRU4Rec, whose BPR-max needs
    /// several). The full softmax has none.</summary>
    public int? Negatives { get; init; }

    /// <summary>Passes over the training windows (default 5: on the playlist stand-in's tuning draw 5 beat 10, and 10 beat
    /// 20, at nearly every number of given tracks, with side features or without — the network learns the training
    /// playlists by heart after that; 3 and 7 did worse than 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Stops after the epoch that passes this budget (null: no budget).</summary>
    public double? Minutes { get; init; }

    /// <summary>Windows per batch (default 64: with the side features it beat 32 on three seeds of the playlist stand-in's
    /// tuning draw, NDCG@10 +1 % to +5 %; without them 32 had beaten 128).</summary>
    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>SASRec: score with the input item embeddings, as the paper shares them (default false: output embeddings
    /// of its own, as GRU4Rec has). Shared, the history's last item rides the residual path to the output and scores
    /// itself: ranked over every item, the last entry came first for 36 % of the Markov test's questions and NDCG@10 fell
    /// from 0.70 to 0.63. The paper never meets it: its protocol ranks the target against sampled items outside the
    /// history.</summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>The loss (null: the full softmax over the vocabulary, which on the playlist stand-in more than doubled
    /// SASRec's NDCG@10 against its paper's binary cross-entropy).</summary>
    public SequenceLoss? Loss { get; init; }

    /// <summary>Share of the training sequences held out to choose the epoch (default 0: none, every epoch is trained and
    /// the last kept). After each epoch the network ranks every item after each held-out sequence's history for its last
    /// played entry; the epoch with the best NDCG@10 is kept and <see cref="Patience"/> epochs without a better one end
    /// training.</summary>
    public double Validation { get; init; }

    /// <summary>With <see cref="Validation"/>: epochs without a better validation NDCG@10 before training stops (default 5).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The output vocabulary's cut-off: items played fewer times than this in the training sequences are no
    /// targets and no negatives, and score below every other item (they still count as input). 1: every played item;
    /// default 2 (an item played once is seldom the answer, and the full softmax costs a third as much).</summary>
    public int MinCount { get; init; } = 2;

    /// <summary>How the item embeddings start (default from co-occurrence: on the playlist stand-in, where 71 % of the
    /// tracks are in one playlist, it took SASRec's NDCG@10 from about popularity's to three times it).</summary>
    public SequenceInit Init { get; init; } = SequenceInit.Cooccurrence;

    /// <summary>What each position learns to predict (default the next entry).</summary>
    public SequenceTarget Target { get; init; } = SequenceTarget.Next;

    /// <summary>With <see cref="SequenceTarget.Window"/>: how many entries after a position are its targets (default 10;
    /// 1 is the next entry alone).</summary>
    public int Window { get; init; } = 10;

    /// <summary>How many of the history's last positions are read to score the items: their outputs are averaged, so the
    /// last few entries count as a set as well as a sequence. Null (the default): each question's own — the last position
    /// for the next track (as the papers), every position for the rest of a playlist (<see cref="ReadOfRest"/>: with side
    /// features it beat the last position at every number of given tracks on the playlist stand-in).</summary>
    public int? Read { get; init; }

    /// <summary>The positions read for the next track.</summary>
    public int ReadOfNext => Read ?? 1;

    /// <summary>The positions read for the rest of a playlist.</summary>
    public int ReadOfRest => Read ?? MaxLength;

    /// <summary>Whether items carry their side features (artist, album) as embeddings added to their own, in and out
    /// (<see cref="FeatureEmbeddings"/>), where the data has them (default true: on the playlist stand-in's tuning draw,
    /// with <see cref="OwnDropout"/> 1, NDCG@10 rose by a fifth to a half at every number of given tracks).</summary>
    public bool SideFeatures { get; init; } = true;

    /// <summary>With <see cref="SideFeatures"/>: the share of input tokens that read their features alone in training,
    /// their own embedding dropped (DropoutNet, Volkovs et al. 2017), so a track never heard in training reads as what its
    /// features learnt; at use every token's own embedding is added whole. Default 1: training reads artists and albums
    /// alone and the tracks' own input embeddings keep their start (co-occurrence), joining them only at use — which
    /// beat 0.9, 0.75, 0.5 and 0.25 on the tuning draw (bench/README.md).</summary>
    public double OwnDropout { get; init; } = 1;

    /// <summary>How the step moves over the epochs (default constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>GRU4Rec's BPR-max score regularisation (Hidasi &amp; Karatzoglou 2018, λ; default 1.0).</summary>
    public double BprMaxRegularization { get; init; } = 1.0;

    public int Seed { get; init; } = 1;

    /// <summary>Intra-op threads of libtorch (null: its default).</summary>
    public int? Threads { get; init; }

    public int EffectiveNegatives => Negatives ?? (Architecture == SequenceArchitecture.SasRec ? 16 : 64);

    public SequenceLoss EffectiveLoss => Loss ?? SequenceLoss.FullSoftmax;

    public static SequenceLoss ParseLoss(string name) => name.Trim().ToLowerInvariant() switch
    {
        "bce" => SequenceLoss.BinaryCrossEntropy,
        "bpr-max" => SequenceLoss.BprMax,
        "softmax" => SequenceLoss.SampledSoftmax,
        "full" or "full-softmax" => SequenceLoss.FullSoftmax,
        _ => throw new UsageException($"unknown sequence loss \"{name}\": expected bce, bpr-max, softmax (sampled) or full"),
    };

    public static SequenceInit ParseInit(string name) => name.Trim().ToLowerInvariant() switch
    {
        "random" => SequenceInit.Random,
        "cooccurrence" => SequenceInit.Cooccurrence,
        _ => throw new UsageException($"unknown embedding initialisation \"{name}\": expected random or cooccurrence"),
    };

    public static SequenceTarget ParseTarget(string name) => name.Trim().ToLowerInvariant() switch
    {
        "next" => SequenceTarget.Next,
        "window" => SequenceTarget.Window,
        _ => throw new UsageException($"unknown sequence target \"{name}\": expected next or window"),
    };

    public static LearningRateSchedule ParseSchedule(string name) => name.Trim().ToLowerInvariant() switch
    {
        "constant" => LearningRateSchedule.Constant,
        "cosine" => LearningRateSchedule.Cosine,
        _ => throw new UsageException($"unknown learning-rate schedule \"{name}\": expected constant or cosine"),
    };

    public string Name => Architecture == SequenceArchitecture.SasRec ? "sasrec" : "gru4rec";

    public static SequenceArchitecture ParseArchitecture(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sasrec" => SequenceArchitecture.SasRec,
        "gru4rec" => SequenceArchitecture.Gru4Rec,
        _ => throw new UsageException($"unknown sequence model \"{name}\": expected sasrec or gru4rec"),
    };

    /// <exception cref="UsageException">a value out of range, named by <paramref name="option"/>: the name a front end
    /// gives the property (<c>nameof</c>), say <c>--epochs</c> for <see cref="Epochs"/>; by default the property's own.</exception>
    public SequenceModelOptions Validated(Func<string, string>? option = null)
    {
        string O(string property) => option?.Invoke(property) ?? property;
        void Need(bool ok, string message)
        {
            if (!ok) throw new UsageException(message);
        }
        Need(EmbeddingSize is >= 2 and <= 4096, $"{O(nameof(EmbeddingSize))} must lie in 2..4096, got {EmbeddingSize}");
        Need(Layers is >= 1 and <= 16, $"{O(nameof(Layers))} must lie in 1..16, got {Layers}");
        Need(Heads >= 1 && EmbeddingSize % Heads == 0, $"{O(nameof(Heads))} must divide the embedding size {EmbeddingSize}, got {Heads}");
        Need(MaxLength is >= 2 and <= 4096, $"{O(nameof(MaxLength))} must lie in 2..4096, got {MaxLength}");
        Need(Dropout is >= 0 and < 1, string.Create(CultureInfo.InvariantCulture, $"{O(nameof(Dropout))} must lie in [0, 1), got {Dropout}"));
        Need(EffectiveNegatives is >= 1 and <= 100_000, $"{O(nameof(Negatives))} must lie in 1..100000, got {EffectiveNegatives}");
        Need(Epochs is >= 1 and <= 100_000, $"{O(nameof(Epochs))} must be at least 1, got {Epochs}");
        Need(Minutes is null or > 0, $"{O(nameof(Minutes))} must be positive");
        Need(BatchSize is >= 1 and <= 65_536, $"{O(nameof(BatchSize))} must lie in 1..65536, got {BatchSize}");
        Need(LearningRate is > 0 and < 10, string.Create(CultureInfo.InvariantCulture, $"{O(nameof(LearningRate))} must be positive, got {LearningRate}"));
        Need(Validation is >= 0 and < 1, string.Create(CultureInfo.InvariantCulture, $"{O(nameof(Validation))} must lie in [0, 1), got {Validation}"));
        Need(Patience >= 1, $"{O(nameof(Patience))} must be at least 1, got {Patience}");
        Need(MinCount is >= 1 and <= 1_000_000, $"{O(nameof(MinCount))} must lie in 1..1000000, got {MinCount}");
        Need(Window is >= 1 and <= 4096, $"{O(nameof(Window))} must lie in 1..4096, got {Window}");
        Need(Target == SequenceTarget.Next || EffectiveLoss == SequenceLoss.FullSoftmax,
            $"{O(nameof(Target))} window needs the full softmax ({O(nameof(Loss))} full): the sampled losses score one target a position");
        Need(OwnDropout is >= 0 and <= 1, string.Create(CultureInfo.InvariantCulture, $"{O(nameof(OwnDropout))} must lie in [0, 1], got {OwnDropout}"));
        Need(Read is null or (>= 1 and <= 4096), $"{O(nameof(Read))} must lie in 1..4096, got {Read}");
        Need(BprMaxRegularization >= 0, "the BPR-max regularisation must not be negative");
        Need(Threads is null or >= 1, $"{O(nameof(Threads))} must be at least 1");
        return this;
    }
}
