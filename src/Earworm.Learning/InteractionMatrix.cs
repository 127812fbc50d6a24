namespace Earworm.Learning;

/// <summary>
/// A sparse users × items matrix of interaction weights in CSR form (row = user), immutable.
/// Duplicate (user, item) pairs are summed; zero and negative weights are dropped. Column indices
/// within a row are sorted, so membership is a binary search.
/// </summary>
public sealed class InteractionMatrix
{
    private readonly int[] _rowStart;   // length Rows + 1
    private readonly int[] _columns;    // length NonZeros
    private readonly float[] _values;   // length NonZeros

    private InteractionMatrix(int rows, int columns, int[] rowStart, int[] cols, float[] values)
    {
        Rows = rows;
        Columns = columns;
        _rowStart = rowStart;
        _columns = cols;
        _values = values;
    }

    /// <summary>Number of users (rows).</summary>
    public int Rows { get; }

    /// <summary>Number of items (columns).</summary>
    public int Columns { get; }

    public int NonZeros => _columns.Length;

    /// <summary>One user's row: <paramref name="items"/> with their <paramref name="weights"/> (a user folded into a model).</summary>
    public static InteractionMatrix SingleRow(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, int columns)
    {
        if (items.Length != weights.Length) throw new ArgumentException($"{items.Length} items but {weights.Length} weights.", nameof(weights));
        var row = new Interaction[items.Length];
        for (int j = 0; j < row.Length; j++) row[j] = new Interaction(0, items[j], weights[j]);
        return FromInteractions(row, 1, columns);
    }

    /// <summary>Builds from interactions; <paramref name="rows"/> and <paramref name="columns"/> may exceed the largest index seen.</summary>
    public static InteractionMatrix FromInteractions(IEnumerable<Interaction> interactions, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        var list = interactions as IReadOnlyCollection<Interaction> ?? interactions.ToList();
        var counts = new int[rows + 1];
        foreach (var x in list)
        {
            if ((uint)x.User >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(interactions), $"user {x.User} outside 0..{rows - 1}");
            if ((uint)x.Item >= (uint)columns) throw new ArgumentOutOfRangeException(nameof(interactions), $"item {x.Item} outside 0..{columns - 1}");
            if (x.Count > 0 && float.IsFinite(x.Count)) counts[x.User + 1]++;
        }
        for (int r = 0; r < rows; r++) counts[r + 1] += counts[r];
        var cols = new int[counts[rows]];
        var vals = new float[counts[rows]];
        var fill = (int[])counts.Clone();
        foreach (var x in list)
        {
            if (!(x.Count > 0 && float.IsFinite(x.Count))) continue;
            int at = fill[x.User]++;
            cols[at] = x.Item;
            vals[at] = x.Count;
        }
        // sort each row by column and sum duplicates
        var start = new int[rows + 1];
        int write = 0;
        for (int r = 0; r < rows; r++)
        {
            int from = counts[r], to = counts[r + 1];
            Array.Sort(cols, vals, from, to - from);
            start[r] = write;
            for (int i = from; i < to; i++)
            {
                if (write > start[r] && cols[write - 1] == cols[i]) vals[write - 1] += vals[i];
                else
                {
                    cols[write] = cols[i];
                    vals[write] = vals[i];
                    write++;
                }
            }
        }
        start[rows] = write;
        return new InteractionMatrix(rows, columns, start, cols[..write], vals[..write]);
    }

    /// <summary>Takes compressed rows as they are (no copy): a generator that makes rows sorted, distinct and positive
    /// (<see cref="Synthetic.SyntheticListening"/>) builds a matrix of 100 M entries without a list of interactions.
    /// Checks the row starts; the columns' order is the caller's promise.</summary>
    internal static InteractionMatrix FromCompressedRows(int rows, int columns, int[] rowStart, int[] cols, float[] values)
    {
        if (rowStart.Length != rows + 1 || rowStart[0] != 0 || rowStart[rows] != cols.Length || cols.Length != values.Length)
            throw new ArgumentException($"{rowStart.Length} row starts for {rows} rows, {cols.Length} columns and {values.Length} values do not agree");
        for (int r = 0; r < rows; r++)
            if (rowStart[r + 1] < rowStart[r]) throw new ArgumentException($"row {r} starts after row {r + 1}");
        return new InteractionMatrix(rows, columns, rowStart, cols, values);
    }

    /// <summary>The items of one user, ascending.</summary>
    public ReadOnlySpan<int> RowIndices(int row) => _columns.AsSpan(_rowStart[row], _rowStart[row + 1] - _rowStart[row]);

    /// <summary>The weights of one user's items, aligned with <see cref="RowIndices"/>.</summary>
    public ReadOnlySpan<float> RowValues(int row) => _values.AsSpan(_rowStart[row], _rowStart[row + 1] - _rowStart[row]);

    public int RowLength(int row) => _rowStart[row + 1] - _rowStart[row];

    /// <summary>The weight at (row, column), 0 when absent.</summary>
    public float this[int row, int column]
    {
        get
        {
            int i = RowIndices(row).BinarySearch(column);
            return i >= 0 ? _values[_rowStart[row] + i] : 0f;
        }
    }

    public bool Contains(int row, int column) => RowIndices(row).BinarySearch(column) >= 0;

    /// <summary>The items × users matrix (CSC of this one), for item-side solves.</summary>
    public InteractionMatrix Transpose()
    {
        var counts = new int[Columns + 1];
        foreach (var c in _columns) counts[c + 1]++;
        for (int c = 0; c < Columns; c++) counts[c + 1] += counts[c];
        var fill = (int[])counts.Clone();
        var rows = new int[NonZeros];
        var vals = new float[NonZeros];
        for (int r = 0; r < Rows; r++)
        {
            for (int i = _rowStart[r]; i < _rowStart[r + 1]; i++)
            {
                int at = fill[_columns[i]]++;
                rows[at] = r;
                vals[at] = _values[i];
            }
        }
        return new InteractionMatrix(Columns, Rows, counts, rows, vals);
    }

    /// <summary>Every stored entry as an interaction (no timestamps).</summary>
    public IEnumerable<Interaction> Entries()
    {
        for (int r = 0; r < Rows; r++)
            for (int i = _rowStart[r]; i < _rowStart[r + 1]; i++)
                yield return new Interaction(r, _columns[i], _values[i]);
    }
}
