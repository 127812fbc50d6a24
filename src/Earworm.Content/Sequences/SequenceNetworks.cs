using Earworm.Content.Native;
using Earworm.Learning.Sequences;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Earworm.Content.Sequences;

/// <summary>
/// A next-item network: reads a batch of histories — item tokens (item + 1; 0 pads on the left) with a skip flag per
/// position — and gives a hidden state per position; an item's score after position t is the dot product of that
/// state with the item's output embedding (plus its bias, where the model has one). A skipped entry is an input like
/// any other with a learned "skipped" vector added, so the network can learn what a skip says.
/// </summary>
public abstract class SequenceNetwork(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    /// <summary>The items' output vectors, (items + 1) × d, row 0 padding: each item's own output embedding
    /// (<see cref="OwnOutputWeights"/>) plus, with side features, the output embeddings of its features.</summary>
    public virtual Tensor OutputWeights => Features is { } f ? f.Outputs(OwnOutputWeights) : OwnOutputWeights;

    /// <summary>The output vectors of the items at <paramref name="rows"/> (token ids) alone: what a loss over some items
    /// needs, their features summed for them only rather than for every item.</summary>
    public Tensor OutputWeightsOf(Tensor rows) =>
        Features is { } f ? f.Outputs(OwnOutputWeights.index_select(0, rows), rows) : OwnOutputWeights.index_select(0, rows);

    /// <summary>The items' own output embeddings, (items + 1) × d (a parameter: what initialisation writes into).</summary>
    public abstract Tensor OwnOutputWeights { get; }

    /// <summary>Per-item output bias, (items + 1), or null.</summary>
    public abstract Tensor? OutputBias { get; }

    /// <summary>The input item embeddings, (items + 1) × d; row 0 is padding.</summary>
    public abstract Tensor InputWeights { get; }

    /// <summary>The side features' embeddings, or null when the network has none.</summary>
    public abstract FeatureEmbeddings? Features { get; }

    /// <param name="features">each item's side features (<see cref="SequenceModelOptions.SideFeatures"/>); null: none.</param>
    public static SequenceNetwork Create(SequenceModelOptions options, int itemCount, ItemFeatures? features = null) => options.Architecture switch
    {
        SequenceArchitecture.SasRec => new SasRecNetwork(options, itemCount, features),
        SequenceArchitecture.Gru4Rec => new Gru4RecNetwork(options, itemCount, features),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };
}

/// <summary>
/// Side features of the items (<see cref="ItemFeatures"/>: artist, album) as embeddings: an input token reads its item's
/// embedding plus the sum of its features' input embeddings, and an item scores by its own output embedding plus the
/// sum of its features' output embeddings. The features start at zero, so the network starts as one without them and
/// learns what they carry; the item → features table is a buffer, saved and loaded with the weights.
/// </summary>
public sealed class FeatureEmbeddings : nn.Module
{
    private readonly TorchSharp.Modules.Embedding inputs, outputs;
    private readonly Tensor feature_of;   // (items + 1, width): feature id + 1, 0 where none
    private readonly double _ownDropout;

    public FeatureEmbeddings(ItemFeatures features, int itemCount, long d, double ownDropout) : base(nameof(FeatureEmbeddings))
    {
        ArgumentNullException.ThrowIfNull(features);
        features.Validate(itemCount);
        _ownDropout = ownDropout;
        int width = Math.Max(1, features.Width);
        var table = new long[(itemCount + 1) * width];
        for (int i = 0; i < itemCount; i++)
            for (int k = 0; k < features.Of[i].Length; k++) table[(i + 1) * width + k] = features.Of[i][k] + 1;
        feature_of = torch.tensor(table, [itemCount + 1, width]);
        inputs = nn.Embedding(features.Count + 1, d, padding_idx: 0);
        outputs = nn.Embedding(features.Count + 1, d, padding_idx: 0);
        using (no_grad())
        {
            inputs.weight!.zero_();
            outputs.weight!.zero_();
        }
        register_buffer(nameof(feature_of), feature_of);
        RegisterComponents();
    }

    /// <summary>Each token's input: its item's own embedding (<paramref name="own"/>, shaped as the tokens plus d) plus the
    /// sum of its features' input embeddings. In training, <see cref="SequenceModelOptions.OwnDropout"/> of the tokens
    /// read their features alone (DropoutNet, Volkovs, Yu &amp; Poutanen 2017), so the features learn to stand for an item,
    /// as they must for one never heard in training.</summary>
    public Tensor Inputs(Tensor tokens, Tensor own)
    {
        var featured = inputs.forward(feature_of.index_select(0, tokens.flatten())).sum(1).view([.. tokens.shape, -1]);
        // dropped at random in training and whole at use, unscaled: scaled at use by what training kept of it (as dropout
        // was first written) every figure on the playlist stand-in's tuning draw fell by 5-25 % (bench/README.md)
        if (training && _ownDropout > 0) own = own * torch.rand([.. tokens.shape, 1]).ge(LiveScalars.Of(_ownDropout)).to_type(own.dtype);
        return own.Plus(featured);
    }

    /// <summary>Each item's own output embedding plus the sum of its features': of every item, or of those at
    /// <paramref name="rows"/> (<paramref name="own"/> then their rows alone).</summary>
    public Tensor Outputs(Tensor own, Tensor? rows = null) =>
        own.Plus(outputs.forward(rows is null ? feature_of : feature_of.index_select(0, rows)).sum(1));
}

/// <summary>
/// SASRec (Kang &amp; McAuley 2018, "Self-attentive sequential recommendation", ICDM): item embeddings scaled by √d plus
/// learned positional embeddings, then blocks of causal multi-head self-attention and a point-wise feed-forward
/// network, each with pre-layer-normalisation, dropout and a residual connection, padded positions zeroed after every
/// block, a final layer norm; items are scored by output embeddings of their own, or by the input embeddings as the
/// paper shares them (<see cref="SequenceModelOptions.TiedEmbeddings"/>, which says why not by default), plus a bias
/// per item (which the paper has not: it lets the network learn how popular an item is without spending a dimension).
/// </summary>
public sealed class SasRecNetwork : SequenceNetwork
{
    private readonly TorchSharp.Modules.Embedding items, skips, positions;
    private readonly TorchSharp.Modules.Embedding? outputs;
    private readonly ModuleList<SasRecBlock> blocks;
    private readonly LayerNorm final_norm;
    private readonly HalfWordDropout dropout;
    private readonly Parameter output_bias;
    private readonly FeatureEmbeddings? features;
    private readonly long _d;

    public SasRecNetwork(SequenceModelOptions options, int itemCount, ItemFeatures? itemFeatures = null) : base(nameof(SasRecNetwork))
    {
        _d = options.EmbeddingSize;
        items = nn.Embedding(itemCount + 1, _d, padding_idx: 0);
        skips = nn.Embedding(2, _d);
        positions = nn.Embedding(options.MaxLength, _d);
        outputs = options.TiedEmbeddings ? null : nn.Embedding(itemCount + 1, _d);
        blocks = nn.ModuleList([.. Enumerable.Range(0, options.Layers).Select(_ => new SasRecBlock(_d, options.Heads, options.Dropout))]);
        final_norm = nn.LayerNorm([_d]);
        dropout = new HalfWordDropout(options.Dropout);
        output_bias = nn.Parameter(torch.zeros(itemCount + 1));
        using (no_grad())
        {
            nn.init.normal_(items.weight, 0, 1 / Math.Sqrt(_d));
            items.weight![0].zero_();
            nn.init.normal_(skips.weight, 0, 0.02);
            if (outputs is not null) nn.init.normal_(outputs.weight, 0, 1 / Math.Sqrt(_d));
        }
        // last, so the weights above draw the same numbers with features as without
        features = itemFeatures is null ? null : new FeatureEmbeddings(itemFeatures, itemCount, _d, options.OwnDropout);
        RegisterComponents();
    }

    public override Tensor OwnOutputWeights => (outputs ?? items).weight!;
    public override Tensor? OutputBias => output_bias;
    public override Tensor InputWeights => items.weight!;
    public override FeatureEmbeddings? Features => features;

    public override Tensor forward(Tensor tokens, Tensor skipped)
    {
        using var scope = NewDisposeScope();
        long length = tokens.shape[1];
        var pad = tokens.eq(LiveScalars.Of(0L));                         // (B, L)
        var embedded = features is null ? items.forward(tokens) : features.Inputs(tokens, items.forward(tokens));
        // scalars from LiveScalars throughout: this runs while other threads allocate (scoring)
        var x = embedded.mul(LiveScalars.Of(Math.Sqrt(_d))).Plus(skips.forward(skipped))
                .Plus(positions.forward(arange(LiveScalars.Of(0L), LiveScalars.Of(length), LiveScalars.One, dtype: ScalarType.Int64)).unsqueeze(0));
        x = dropout.forward(x);
        var keep = pad.logical_not().unsqueeze(-1).to_type(x.dtype);
        x = x * keep;
        // causal, and no padded key, except a position's own (a padded query then sees only itself, never a row of −∞)
        var causal = ones(length, length, dtype: ScalarType.Bool).triu(1);
        var eye = torch.eye(length, dtype: ScalarType.Bool);
        var mask = causal.unsqueeze(0) | (pad.unsqueeze(1) & eye.logical_not().unsqueeze(0)); // (B, L, L)
        foreach (var block in blocks) x = block.forward(x, mask) * keep;
        return final_norm.forward(x).MoveToOuterDisposeScope();
    }
}

/// <summary>One SASRec block: pre-norm causal self-attention and a point-wise feed-forward network, both residual.</summary>
public sealed class SasRecBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query, key, value, output, feed1, feed2;
    private readonly LayerNorm norm1, norm2;
    private readonly HalfWordDropout dropout;
    private readonly long _heads, _d;

    public SasRecBlock(long d, int heads, double dropoutRate) : base(nameof(SasRecBlock))
    {
        _d = d;
        _heads = heads;
        query = nn.Linear(d, d);
        key = nn.Linear(d, d);
        value = nn.Linear(d, d);
        output = nn.Linear(d, d);
        feed1 = nn.Linear(d, d);
        feed2 = nn.Linear(d, d);
        norm1 = nn.LayerNorm([d]);
        norm2 = nn.LayerNorm([d]);
        dropout = new HalfWordDropout(dropoutRate);
        RegisterComponents();
    }

    /// <param name="mask">(B, L, L), true where a query may not look.</param>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], l = x.shape[1], dh = _d / _heads;
        var h = norm1.forward(x);
        Tensor Heads(Tensor t) => t.view(b, l, _heads, dh).transpose(1, 2);   // (B, H, L, dh)
        var q = Heads(query.forward(h));
        var k = Heads(key.forward(h));
        var v = Heads(value.forward(h));
        var scores = q.matmul(k.transpose(-2, -1)).div(LiveScalars.Of(Math.Sqrt(dh)));
        scores = scores.masked_fill(mask.unsqueeze(1), LiveScalars.NegativeInfinity);
        var attention = dropout.forward(scores.softmax(-1));
        var attended = attention.matmul(v).transpose(1, 2).reshape(b, l, _d);
        x = x.Plus(dropout.forward(output.forward(attended)));
        var f = feed2.forward(dropout.forward(nn.functional.relu(feed1.forward(norm2.forward(x)))));
        return x.Plus(dropout.forward(f)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// GRU4Rec (Hidasi, Karatzoglou, Baltrunas &amp; Tikk 2016, "Session-based recommendations with recurrent neural
/// networks", ICLR; Hidasi &amp; Karatzoglou 2018, "Recurrent neural networks with top-k gains", CIKM): an input
/// embedding, GRU layers, dropout on the hidden state, then output embeddings with a bias per item (scored by BPR-max
/// against sampled negatives). Histories are trained as padded batches rather than the paper's session-parallel
/// mini-batches (the same model, as RecBole and others train it).
/// </summary>
public sealed class Gru4RecNetwork : SequenceNetwork
{
    private readonly TorchSharp.Modules.Embedding items, skips, outputs;
    private readonly GRU gru;
    private readonly HalfWordDropout dropout;
    private readonly Parameter output_bias;
    private readonly FeatureEmbeddings? features;

    public Gru4RecNetwork(SequenceModelOptions options, int itemCount, ItemFeatures? itemFeatures = null) : base(nameof(Gru4RecNetwork))
    {
        long d = options.EmbeddingSize;
        items = nn.Embedding(itemCount + 1, d, padding_idx: 0);
        skips = nn.Embedding(2, d);
        outputs = nn.Embedding(itemCount + 1, d);
        gru = nn.GRU(d, d, numLayers: options.Layers, batchFirst: true, dropout: options.Layers > 1 ? options.Dropout : 0);
        dropout = new HalfWordDropout(options.Dropout);
        output_bias = nn.Parameter(torch.zeros(itemCount + 1));
        using (no_grad())
        {
            nn.init.normal_(items.weight, 0, 1 / Math.Sqrt(d));
            items.weight![0].zero_();
            nn.init.normal_(outputs.weight, 0, 1 / Math.Sqrt(d));
            nn.init.normal_(skips.weight, 0, 0.02);
        }
        features = itemFeatures is null ? null : new FeatureEmbeddings(itemFeatures, itemCount, d, options.OwnDropout);
        RegisterComponents();
    }

    public override Tensor OwnOutputWeights => outputs.weight!;
    public override Tensor? OutputBias => output_bias;
    public override Tensor InputWeights => items.weight!;
    public override FeatureEmbeddings? Features => features;

    public override Tensor forward(Tensor tokens, Tensor skipped)
    {
        using var scope = NewDisposeScope();
        var embedded = features is null ? items.forward(tokens) : features.Inputs(tokens, items.forward(tokens));
        var x = dropout.forward(embedded.Plus(skips.forward(skipped)));
        var (hidden, _) = gru.forward(x);
        return dropout.forward(hidden).MoveToOuterDisposeScope();
    }
}
