namespace Earworm.Learning.Factorization;

/// <summary>
/// The rows of an interaction matrix with c − 1 precomputed for every entry (aligned with
/// <see cref="InteractionMatrix.RowIndices"/>), so the solvers never re-derive a confidence.
/// </summary>
internal sealed class ConfidenceRows
{
    private readonly InteractionMatrix _matrix;
    private readonly int[] _start;
    private readonly float[] _confidenceMinusOne;

    public ConfidenceRows(InteractionMatrix matrix, AlsOptions options)
    {
        _matrix = matrix;
        _start = new int[matrix.Rows + 1];
        for (int r = 0; r < matrix.Rows; r++) _start[r + 1] = _start[r] + matrix.RowLength(r);
        _confidenceMinusOne = new float[matrix.NonZeros];
        for (int r = 0; r < matrix.Rows; r++)
        {
            var values = matrix.RowValues(r);
            var target = _confidenceMinusOne.AsSpan(_start[r], values.Length);
            for (int i = 0; i < values.Length; i++) target[i] = options.ConfidenceMinusOne(values[i]);
        }
    }

    public int Rows => _matrix.Rows;
    public int Columns => _matrix.Columns;
    public long NonZeros => _matrix.NonZeros;

    public ReadOnlySpan<int> Indices(int row) => _matrix.RowIndices(row);

    public ReadOnlySpan<float> ConfidenceMinusOne(int row) => _confidenceMinusOne.AsSpan(_start[row], _start[row + 1] - _start[row]);
}
