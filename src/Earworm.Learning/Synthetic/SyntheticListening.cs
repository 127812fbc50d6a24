using Earworm.Learning.Numerics;

namespace Earworm.Learning.Synthetic;

/// <summary>
/// A synthetic listening log at a music service's scale, for the scale benchmarks (ALS on 100 M interactions, bulk
/// import): who played which items, with the structure real logs have. Item popularity is Zipf (item 0 the most
/// played); every item belongs to one of <see cref="SyntheticListeningOptions.Tastes"/> tastes (<c>item % Tastes</c>),
/// every user has two tastes and draws <see cref="SyntheticListeningOptions.TasteShare"/> of their items from them
/// (Zipf within the taste: a taste's popular items first), the rest from the whole catalogue; how many items a user
/// played is log-normal. A user's items are distinct and ascending.
/// </summary>
/// <remarks>
/// Each user's row is a pure function of the seed and the user: rows can be made in any order, in parallel and twice
/// (once to count, once to fill), so a log of 100 M interactions never exists as a list of records — only as the
/// arrays of the matrix it becomes (<see cref="Matrix"/>: 8 bytes an interaction) or as lines streamed to a file.
/// </remarks>
public sealed class SyntheticListening
{
    private const int MaxAttemptsPerItem = 16;

    private readonly SyntheticListeningOptions _o;
    private readonly double[] _global;   // cumulative Zipf weights over all items, ending at 1
    private readonly double[] _taste;    // cumulative Zipf weights over the ranks within one taste
    private readonly int[] _lengths;
    private readonly long[] _rowStart;

    public SyntheticListening(SyntheticListeningOptions? options = null)
    {
        _o = options ?? new SyntheticListeningOptions();
        _o.Validate();
        _global = ZipfCumulative(_o.Items, _o.ZipfExponent);
        _taste = ZipfCumulative((_o.Items + _o.Tastes - 1) / _o.Tastes, _o.ZipfExponent);
        _lengths = new int[_o.Users];
        _rowStart = new long[_o.Users + 1];
        // log-normal activity, scaled so the users' rows add up to the interactions asked (twice: clamping the
        // busiest users to a quarter of the catalogue takes a little off the first scaling)
        var raw = new double[_o.Users];
        double sigma = _o.ActivitySpread, sum = 0;
        for (int u = 0; u < _o.Users; u++)
        {
            var rng = new FastRandom(SeedMixer.Combine(_o.Seed, u, 0));
            sum += raw[u] = Math.Exp(sigma * Gaussian(ref rng));
        }
        int most = MaxRowLength(_o);
        double scale = _o.Interactions / sum;
        for (int pass = 0; pass < 2; pass++)
        {
            long total = 0;
            for (int u = 0; u < _o.Users; u++) total += _lengths[u] = (int)Math.Clamp(Math.Round(raw[u] * scale), 1, most);
            scale *= (double)_o.Interactions / total;
        }
        for (int u = 0; u < _o.Users; u++) _rowStart[u + 1] = _rowStart[u] + _lengths[u];
    }

    public SyntheticListeningOptions Options => _o;

    /// <summary>The interactions in the whole log (the sum of the users' row lengths).</summary>
    public long Interactions => _rowStart[^1];

    /// <summary>How many distinct items <paramref name="user"/> played.</summary>
    public int RowLength(int user) => _lengths[user];

    /// <summary>The position of <paramref name="user"/>'s first interaction in the log (users in order).</summary>
    public long RowStart(int user) => _rowStart[user];

    /// <summary>The taste a user draws most from (<paramref name="which"/> 0) and the other (1).</summary>
    public int TasteOf(int user, int which) => (int)(SeedMixer.Combine(_o.Seed, user, 1, which) % (ulong)_o.Tastes);

    /// <summary>The taste an item belongs to.</summary>
    public int TasteOfItem(int item) => item % _o.Tastes;

    /// <summary>Fills <paramref name="items"/> (<see cref="RowLength"/> long) with the user's items, distinct and
    /// ascending. <paramref name="seen"/> is scratch for one thread.</summary>
    public void Row(int user, Span<int> items, HashSet<int> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        int n = _lengths[user];
        if (items.Length != n) throw new ArgumentException($"user {user} has {n} items, not {items.Length}", nameof(items));
        seen.Clear();
        var rng = new FastRandom(SeedMixer.Combine(_o.Seed, user, 2));
        int first = TasteOf(user, 0), second = TasteOf(user, 1);
        int filled = 0;
        // a heavy listener can exhaust the popular part of their tastes: after enough repeats, any item will do
        for (long attempts = 0; filled < n; attempts++)
        {
            int item = attempts < (long)MaxAttemptsPerItem * n ? Draw(ref rng, first, second) : rng.Next(_o.Items);
            if (seen.Add(item)) items[filled++] = item;
        }
        items.Sort();
    }

    /// <summary>The log as a users × items matrix of 1s, made directly in its compressed rows (8 bytes an
    /// interaction; rows made in parallel on <paramref name="threads"/> threads).</summary>
    public InteractionMatrix Matrix(int threads)
    {
        if (Interactions > int.MaxValue) throw new InvalidOperationException($"{Interactions} interactions: a matrix holds at most {int.MaxValue}");
        var start = new int[_o.Users + 1];
        for (int u = 0; u <= _o.Users; u++) start[u] = (int)_rowStart[u];
        var columns = new int[Interactions];
        var values = new float[Interactions];
        Array.Fill(values, 1f);
        Parallel.For(0, _o.Users, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new HashSet<int>(),
            (u, _, seen) =>
            {
                Row(u, columns.AsSpan(start[u], _lengths[u]), seen);
                return seen;
            }, _ => { });
        return InteractionMatrix.FromCompressedRows(_o.Users, _o.Items, start, columns, values);
    }

    private int Draw(ref FastRandom rng, int first, int second)
    {
        if (rng.NextSingle() >= _o.TasteShare) return Sample(_global, ref rng);
        int taste = rng.NextSingle() < 0.75f ? first : second;
        while (true)
        {
            int item = taste + Sample(_taste, ref rng) * _o.Tastes;
            if (item < _o.Items) return item; // the last rank exists only in some tastes
        }
    }

    private static int Sample(double[] cumulative, ref FastRandom rng)
    {
        double u = (rng.NextUInt64() >> 11) * (1.0 / (1UL << 53));
        int i = Array.BinarySearch(cumulative, u);
        return Math.Min(i >= 0 ? i + 1 : ~i, cumulative.Length - 1);
    }

    private static double[] ZipfCumulative(int n, double exponent)
    {
        var c = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) c[r] = sum += Math.Pow(r + 1, -exponent);
        for (int r = 0; r < n; r++) c[r] /= sum;
        c[^1] = 1;
        return c;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Gaussian(ref FastRandom rng)
    {
        double u1 = ((rng.NextUInt64() >> 11) + 1) * (1.0 / ((1UL << 53) + 1)), u2 = (rng.NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The longest row: a quarter of the catalogue, so distinct draws always finish quickly.</summary>
    internal static int MaxRowLength(SyntheticListeningOptions o) => Math.Max(1, o.Items / 4);
}

/// <summary>The shape of a <see cref="SyntheticListening"/> log; the defaults are issue 19's scale (1 M users ×
/// 500 000 items, 100 M interactions).</summary>
public sealed record SyntheticListeningOptions
{
    public int Users { get; init; } = 1_000_000;
    public int Items { get; init; } = 500_000;

    /// <summary>The interactions wanted; the log holds as many to within a fraction of a percent (each user's count is
    /// drawn, scaled to this total, rounded and clamped).</summary>
    public long Interactions { get; init; } = 100_000_000;

    /// <summary>How many tastes (clusters of items) there are.</summary>
    public int Tastes { get; init; } = 64;

    /// <summary>The share of a user's items drawn from their two tastes; the rest from the whole catalogue.</summary>
    public float TasteShare { get; init; } = 0.8f;

    /// <summary>Popularity falls as rank^−s (1 is Zipf's law).</summary>
    public double ZipfExponent { get; init; } = 0.9;

    /// <summary>σ of the log-normal number of items a user played (1: the busiest 1 % play ~10 × the mean).</summary>
    public double ActivitySpread { get; init; } = 1.0;

    public int Seed { get; init; } = 42;

    /// <exception cref="ArgumentException">a size or share out of range.</exception>
    public void Validate()
    {
        if (Users < 1) throw new ArgumentException($"users {Users}: at least 1");
        if (Items < 1) throw new ArgumentException($"items {Items}: at least 1");
        if (Tastes < 1 || Tastes > Items) throw new ArgumentException($"tastes {Tastes}: between 1 and the items ({Items})");
        if (Interactions < Users) throw new ArgumentException($"interactions {Interactions}: at least one a user ({Users})");
        if ((double)Interactions / Users > SyntheticListening.MaxRowLength(this))
            throw new ArgumentException($"{Interactions} interactions over {Users} users is more than a quarter of the {Items} items a user");
        if (!(TasteShare is >= 0 and <= 1)) throw new ArgumentException($"taste share {TasteShare}: between 0 and 1");
        if (!(ZipfExponent is >= 0 and <= 4)) throw new ArgumentException($"Zipf exponent {ZipfExponent}: between 0 and 4");
        if (!(ActivitySpread is >= 0 and <= 3)) throw new ArgumentException($"activity spread {ActivitySpread}: between 0 and 3");
    }
}
