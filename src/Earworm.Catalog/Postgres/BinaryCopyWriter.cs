using System.Buffers.Binary;
using Npgsql;

namespace Earworm.Catalog;

/// <summary>
/// Rows of integers, doubles and fixed texts written in PostgreSQL's binary COPY format (a signature and header, then
/// per row a count of fields and each field's length and big-endian bytes, then -1) into a buffer of its own and sent
/// through Npgsql's raw COPY stream: the import writer's rows of interactions, where
/// <see cref="NpgsqlBinaryImporter"/>'s per-value type lookups cost the client more than the server spends storing
/// the row. Not completed, the COPY is cancelled (nothing of it is stored).
/// </summary>
internal sealed class BinaryCopyWriter : IDisposable
{
    // the signature "PGCOPY\n\377\r\n\0", no flags, no header extension
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly NpgsqlRawCopyStream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _used;
    private bool _completed;

    /// <param name="db">An open connection, not in another command.</param>
    /// <param name="copy">A <c>COPY … FROM STDIN (FORMAT BINARY)</c> statement.</param>
    public BinaryCopyWriter(NpgsqlConnection db, string copy)
    {
        ArgumentNullException.ThrowIfNull(db);
        _stream = db.BeginRawBinaryCopy(copy);
        Header.CopyTo(_buffer);
        _used = Header.Length;
    }

    /// <summary>Starts a row of <paramref name="fields"/> values (as many as the statement names).</summary>
    public void StartRow(short fields)
    {
        Room(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), fields);
        _used += 2;
    }

    public void Write(long value)
    {
        Room(12);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), 8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_used + 4), value);
        _used += 12;
    }

    public void Write(double value) => Write(BitConverter.DoubleToInt64Bits(value));

    /// <summary>A value already in the server's encoding (a text as UTF-8).</summary>
    public void Write(ReadOnlySpan<byte> value)
    {
        Room(4 + value.Length);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), value.Length);
        value.CopyTo(_buffer.AsSpan(_used + 4));
        _used += 4 + value.Length;
    }

    public void WriteNull()
    {
        Room(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), -1);
        _used += 4;
    }

    /// <summary>Ends the data and waits for the server to have stored it.</summary>
    public void Complete()
    {
        Room(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), -1);
        _used += 2;
        Flush();
        _completed = true;
        _stream.Dispose();
    }

    public void Dispose()
    {
        if (_completed) return;
        try
        {
            _stream.Cancel();
            _stream.Dispose();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // the failure that stopped the rows is the one to report; the caller's transaction is rolled back
        }
    }

    private void Room(int bytes)
    {
        if (bytes > _buffer.Length) throw new ArgumentException($"a value of {bytes} bytes is larger than the copy buffer", nameof(bytes));
        if (_used + bytes > _buffer.Length) Flush();
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }
}
