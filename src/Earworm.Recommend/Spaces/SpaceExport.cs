using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Earworm.Recommend.Spaces;

/// <summary>
/// Writes a space's vectors for other tools (notebooks, players): one row per track, columns <c>id</c> (int64),
/// <c>path</c> (string), then <c>x0 … x{d−1}</c> (float32). CSV (RFC 4180, invariant culture, shortest round-trip
/// floats) or Parquet (one row group, a column per dimension); the format follows the extension.
/// </summary>
public static class SpaceExport
{
    public static async Task WriteAsync(VectorSpace space, Func<long, string> pathOf, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(pathOf);
        var full = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        switch (Path.GetExtension(full).ToLowerInvariant())
        {
            case ".csv":
                await File.WriteAllTextAsync(full, Csv(space, pathOf), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                break;
            case ".parquet":
                await using (var stream = File.Create(full))
                    await ParquetAsync(space, pathOf, stream, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new UsageException($"cannot export to '{Path.GetExtension(full)}': use FILE.csv or FILE.parquet");
        }
    }

    public static string Csv(VectorSpace space, Func<long, string> pathOf)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(pathOf);
        var sb = new StringBuilder("id,path");
        for (int d = 0; d < space.Dimension; d++) sb.Append(CultureInfo.InvariantCulture, $",x{d}");
        sb.Append('\n');
        for (int i = 0; i < space.Count; i++)
        {
            sb.Append(space.Ids[i].ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(pathOf(space.Ids[i])));
            foreach (var x in space.Row(i)) sb.Append(',').Append(x.ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public static async Task ParquetAsync(VectorSpace space, Func<long, string> pathOf, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(pathOf);
        var id = new DataField<long>("id");
        var path = new DataField<string>("path");
        var xs = Enumerable.Range(0, space.Dimension).Select(d => new DataField<float>($"x{d}")).ToArray();
        var schema = new ParquetSchema([id, path, .. xs]);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(id, space.Ids.AsMemory(), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(path, space.Ids.Select(pathOf).ToArray(), null).ConfigureAwait(false);
        var column = new float[space.Count];
        for (int d = 0; d < space.Dimension; d++)
        {
            for (int i = 0; i < space.Count; i++) column[i] = space.Data[i * space.Dimension + d];
            await group.WriteAsync<float>(xs[d], column.AsMemory(), null, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
