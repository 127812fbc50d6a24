using System.Runtime.InteropServices;

namespace Earworm.Learning.Numerics;

/// <summary>
/// A dense row-major float32 matrix whose rows start on 64-byte boundaries when
/// <see cref="Stride"/> is a multiple of 16 (the array lives on the pinned-object heap and is
/// offset to the first aligned element), so 512-bit loads in the hot loops never split a cache line.
/// Elements between <see cref="Columns"/> and <see cref="Stride"/> are zero and the kernels keep them so.
/// </summary>
internal sealed class RowMatrix
{
    private const int AlignFloats = 16; // 64 bytes
    private readonly float[] _data;
    private readonly int _offset;

    public RowMatrix(int rows, int columns, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, columns);
        Rows = rows;
        Columns = columns;
        Stride = stride;
        _data = GC.AllocateArray<float>(checked(rows * stride + AlignFloats), pinned: true);
        var handle = GCHandle.Alloc(_data, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject();
        handle.Free(); // objects on the pinned-object heap never move
        _offset = (int)((64 - address % 64) % 64 / sizeof(float));
    }

    /// <summary>A matrix with rows of exactly <paramref name="columns"/> floats.</summary>
    public static RowMatrix Packed(int rows, int columns) => new(rows, columns, columns);

    /// <summary>A copy of packed row-major values (length a multiple of <paramref name="columns"/>), with the given stride.</summary>
    public static RowMatrix FromPacked(ReadOnlySpan<float> packed, int columns, int? stride = null)
    {
        var m = new RowMatrix(packed.Length / columns, columns, stride ?? columns);
        for (int r = 0; r < m.Rows; r++) packed.Slice(r * columns, columns).CopyTo(m.Row(r));
        return m;
    }

    /// <summary>A matrix whose stride is <paramref name="columns"/> rounded up to a multiple of 16 floats.</summary>
    public static RowMatrix Padded(int rows, int columns) => new(rows, columns, (columns + AlignFloats - 1) / AlignFloats * AlignFloats);

    public int Rows { get; }
    public int Columns { get; }
    public int Stride { get; }

    /// <summary>Row <paramref name="r"/>'s <see cref="Columns"/> values.</summary>
    public Span<float> Row(int r) => _data.AsSpan(_offset + r * Stride, Columns);

    /// <summary>Row <paramref name="r"/> including its zero padding (length <see cref="Stride"/>).</summary>
    public Span<float> PaddedRow(int r) => _data.AsSpan(_offset + r * Stride, Stride);

    /// <summary>Every row with its padding, row-major.</summary>
    public Span<float> All => _data.AsSpan(_offset, Rows * Stride);

    /// <summary>The rows as one packed row-major array (no padding).</summary>
    public float[] ToPackedArray()
    {
        var result = new float[Rows * Columns];
        for (int r = 0; r < Rows; r++) Row(r).CopyTo(result.AsSpan(r * Columns, Columns));
        return result;
    }

    /// <summary>A copy whose rows are scaled to unit Euclidean norm (<see cref="VectorNorm"/>: zero rows stay zero).</summary>
    public RowMatrix NormalizedRows()
    {
        var result = new RowMatrix(Rows, Columns, Stride);
        for (int r = 0; r < Rows; r++) VectorNorm.WriteScaledUnit(Row(r), 1, result.Row(r));
        return result;
    }
}
