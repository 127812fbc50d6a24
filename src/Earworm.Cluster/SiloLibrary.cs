using Earworm.App;
using Earworm.App.Library;
using Earworm.Recommend.Spaces;

namespace Earworm.Cluster;

/// <summary>
/// What one silo reads of the catalog: the services' library view (looked at no more than once a second, read again when
/// the catalog's generation moves: a new model and its vectors move it, which is how every silo learns of a new model
/// version — a poll of the catalog) and, per view, a space's vectors, loaded once and shared by the silo's shards (each
/// keeps its partition) and by its searches (the query's vector).
/// </summary>
public sealed class SiloLibrary(EarwormServices services)
{
    public EarwormServices Services { get; } = services ?? throw new ArgumentNullException(nameof(services));

    public LibraryView Current => Services.Library.Current;

    /// <summary>The space's name as a request gives it (null or blank: the best the library has).</summary>
    public static string SpaceName(LibraryView view, string? name)
    {
        ArgumentNullException.ThrowIfNull(view);
        return string.IsNullOrWhiteSpace(name) ? view.BestSpaceName : name.Trim();
    }

    /// <summary>The vectors of space <paramref name="name"/> as of <paramref name="view"/> (loaded on first use per view).</summary>
    /// <exception cref="UsageException">an unknown or empty space.</exception>
    public VectorSpace Vectors(LibraryView view, string name)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.Memo($"cluster:vectors:{name}", () => Services.Library.WithCatalog(c => new SpaceService(c, words: view.Words).Load(name)));
    }
}
