using static TorchSharp.torch;

namespace Earworm.Content.Embedding;

/// <summary>How a model's unit crop vectors are transformed before they are normalised again (the model's read-out).</summary>
public enum Readout
{
    /// <summary>As the layer gives them.</summary>
    Raw,

    /// <summary>Each dimension centred and divided by its deviation.</summary>
    Standardised,

    /// <summary>PCA-whitened: projected on the leading principal components, each divided by its deviation.</summary>
    Whitened,
}

/// <summary>
/// A fixed linear read-out of the crop vectors, <c>y = (x − centre)·P</c> (<c>P</c>: d × k), fitted on the crops of the
/// corpus the encoder was trained on and shipped beside its weights (<c>whitening.bin</c>): the same transform for
/// every library. A ReLU layer's pooled values share a large common direction and a few dominant ones, so raw cosines
/// between tracks are high and mostly say how loud or busy the music is; centring and whitening spread the space so
/// that every direction of variation counts (PCA-whitening for retrieval: Jégou &amp; Chum 2012). On music of packages
/// the encoder never heard it lifted the share of same-soundtrack neighbours from 0.43 to 0.48 (models/encoder/MODEL_CARD.md).
/// </summary>
public sealed class Whitening
{
    public const string FileName = "whitening.bin";

    private Whitening(float[] centre, float[] projection, int inputs, int outputs)
    {
        Centre = centre;
        Projection = projection;
        Inputs = inputs;
        Outputs = outputs;
    }

    public float[] Centre { get; }

    /// <summary>d × k, row-major.</summary>
    public float[] Projection { get; }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>Fits the read-out on <paramref name="n"/> rows of <paramref name="dims"/> values.</summary>
    /// <param name="components">k for <see cref="Readout.Whitened"/> (at most d); ignored for standardisation (k = d).</param>
    /// <param name="epsilon">Added to every variance, relative to the largest, so near-empty directions are not blown up.</param>
    public static Whitening Fit(float[] rows, int n, int dims, Readout readout, int components = 512, double epsilon = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (n < 2 || rows.Length != (long)n * dims) throw new ArgumentException($"{rows.Length} values for {n} rows of {dims}");
        if (readout == Readout.Raw) throw new ArgumentException("a raw read-out has no transform", nameof(readout));
        using var scope = NewDisposeScope();
        var x = tensor(rows, [n, dims]).to_type(ScalarType.Float64);
        var mean = x.mean([0]);
        var centred = x - mean;
        var centre = mean.to_type(ScalarType.Float32).data<float>().ToArray();
        if (readout == Readout.Standardised)
        {
            var variance = (centred * centred).mean([0]).data<double>().ToArray();
            double floor = epsilon * variance.Max() + 1e-12;
            var diagonal = new float[dims * dims];
            for (int d = 0; d < dims; d++) diagonal[d * dims + d] = (float)(1 / Math.Sqrt(variance[d] + floor));
            return new Whitening(centre, diagonal, dims, dims);
        }
        int k = Math.Clamp(components, 1, dims);
        var covariance = centred.t().mm(centred) / tensor((double)n, dtype: ScalarType.Float64);
        var (values, vectors) = linalg.eigh(covariance); // ascending
        var w = values.data<double>().ToArray();
        var v = vectors.data<double>().ToArray();
        double top = Math.Max(w[^1], 1e-12);
        var projection = new float[dims * k];
        for (int c = 0; c < k; c++)
        {
            int column = dims - 1 - c;
            double scale = 1 / Math.Sqrt(Math.Max(w[column], 0) + epsilon * top);
            // sign convention: each component's largest loading positive (a fitted transform is reproducible)
            int big = 0;
            for (int d = 1; d < dims; d++) if (Math.Abs(v[d * dims + column]) > Math.Abs(v[big * dims + column])) big = d;
            double sign = v[big * dims + column] < 0 ? -1 : 1;
            for (int d = 0; d < dims; d++) projection[d * k + c] = (float)(sign * v[d * dims + column] * scale);
        }
        return new Whitening(centre, projection, dims, k);
    }

    /// <summary><c>(B, d)</c> → <c>(B, k)</c>, normalised to unit rows.</summary>
    public Tensor Apply(Tensor unitRows)
    {
        ArgumentNullException.ThrowIfNull(unitRows);
        using var scope = NewDisposeScope();
        var y = (unitRows - tensor(Centre, [1, Inputs])).mm(tensor(Projection, [Inputs, Outputs]));
        return nn.functional.normalize(y, p: 2, dim: 1).MoveToOuterDisposeScope();
    }

    public void Save(string path)
    {
        using (var w = new BinaryWriter(File.Create(path + ".tmp")))
        {
            w.Write(Inputs);
            w.Write(Outputs);
            foreach (var c in Centre) w.Write(c);
            foreach (var p in Projection) w.Write(p);
        }
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <exception cref="InvalidDataException">the file is truncated or its sizes disagree with <paramref name="inputs"/>.</exception>
    public static Whitening Load(string path, int inputs)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        try
        {
            int d = r.ReadInt32(), k = r.ReadInt32();
            if (d != inputs || k < 1 || k > d) throw new InvalidDataException($"{path}: a {d} × {k} read-out for {inputs}-dimensional crops");
            var centre = new float[d];
            for (int i = 0; i < d; i++) centre[i] = r.ReadSingle();
            var projection = new float[d * k];
            for (int i = 0; i < projection.Length; i++) projection[i] = r.ReadSingle();
            return new Whitening(centre, projection, d, k);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated");
        }
    }
}
