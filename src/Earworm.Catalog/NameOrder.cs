namespace Earworm.Catalog;

/// <summary>
/// The order names are listed in (users): numbers inside a name by their value — <c>lastfm-2k:2</c> before
/// <c>lastfm-2k:10</c>, where the bytes' order puts <c>10</c>, <c>100</c> and <c>1000</c> first — and the rest by its
/// characters' codes, as both catalogs ordered them before (PostgreSQL's "C" collation). Names that differ only in
/// leading zeros (<c>a07</c>, <c>a7</c>) fall back to that order, so it is a total order.
/// </summary>
public sealed class NameOrder : IComparer<string>
{
    public static readonly NameOrder Instance = new();

    private NameOrder() { }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i, sj = j;
                while (si < x.Length && x[si] == '0') si++;
                while (sj < y.Length && y[sj] == '0') sj++;
                int ei = si, ej = sj;
                while (ei < x.Length && char.IsAsciiDigit(x[ei])) ei++;
                while (ej < y.Length && char.IsAsciiDigit(y[ej])) ej++;
                // the longer number without its leading zeros is the larger; of two as long, the first digit that differs
                int byValue = (ei - si).CompareTo(ej - sj);
                if (byValue == 0) byValue = string.CompareOrdinal(x, si, y, sj, ei - si);
                if (byValue != 0) return byValue;
                i = ei;
                j = ej;
                continue;
            }
            if (x[i] != y[j]) return x[i].CompareTo(y[j]);
            i++;
            j++;
        }
        int byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }
}
