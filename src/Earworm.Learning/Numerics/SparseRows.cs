namespace Earworm.Learning.Numerics;

/// <summary>
/// A sparse matrix by rows (CSR): row i holds the columns <c>Columns[Start[i]..Start[i+1]]</c> with their values;
/// <see cref="ColumnCount"/> columns in all. Immutable once built; <see cref="FromRows"/> builds it from per-row lists.
/// </summary>
public sealed class SparseRows
{
    private readonly int[] _start;
    private readonly int[] _columns;
    private readonly double[] _values;

    private SparseRows(int columnCount, int[] start, int[] columns, double[] values)
    {
        ColumnCount = columnCount;
        _start = start;
        _columns = columns;
        _values = values;
    }

    public int RowCount => _start.Length - 1;

    public int ColumnCount { get; }

    public int NonZeros => _columns.Length;

    public ReadOnlySpan<int> ColumnsOf(int row) => _columns.AsSpan(_start[row], _start[row + 1] - _start[row]);

    public ReadOnlySpan<double> ValuesOf(int row) => _values.AsSpan(_start[row], _start[row + 1] - _start[row]);

    /// <summary>The rows given as (column, value) pairs (a column repeated within a row is summed; zeros dropped).</summary>
    public static SparseRows FromRows(int columnCount, IReadOnlyList<IEnumerable<(int Column, double Value)>> rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount);
        ArgumentNullException.ThrowIfNull(rows);
        var start = new int[rows.Count + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < rows.Count; i++)
        {
            start[i] = columns.Count;
            var merged = new SortedDictionary<int, double>();
            foreach (var (c, v) in rows[i])
            {
                if ((uint)c >= (uint)columnCount) throw new ArgumentException($"row {i}: column {c} outside 0..{columnCount - 1}", nameof(rows));
                if (!double.IsFinite(v)) throw new ArgumentException($"row {i}, column {c}: {v} is not finite", nameof(rows));
                merged[c] = merged.GetValueOrDefault(c) + v;
            }
            foreach (var (c, v) in merged)
                if (v != 0)
                {
                    columns.Add(c);
                    values.Add(v);
                }
        }
        start[rows.Count] = columns.Count;
        return new SparseRows(columnCount, start, [.. columns], [.. values]);
    }
}
