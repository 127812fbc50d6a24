using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Earworm.Subsonic.Model;

/// <summary>
/// One element of a Subsonic response, serialised both ways from the same tree (as the API's XML schema and its JSON
/// mapping define): attributes become XML attributes or JSON properties (numbers and booleans typed), a child element
/// an XML element or a JSON object, a list of children repeated XML elements or a JSON array (omitted when empty, as
/// Navidrome does), text the element's content or JSON's <c>value</c>.
/// </summary>
public sealed class SubsonicNode(string name)
{
    private readonly List<(string Name, object Value)> _attributes = [];
    private readonly List<(string Name, object Child)> _children = [];

    /// <summary>Attributes many responses share (a song's tags and file), written before this node's own.</summary>
    private IReadOnlyList<(string Name, object Value)> _shared = [];

    /// <summary>A node that starts with <paramref name="shared"/> attributes (kept by reference, never changed).</summary>
    public SubsonicNode(string name, IReadOnlyList<(string Name, object Value)> shared) : this(name) => _shared = shared;

    public string Name { get; } = name;

    /// <summary>The attributes set so far, to share with other nodes (<see cref="SubsonicNode(string, IReadOnlyList{ValueTuple{string, object}})"/>).</summary>
    public IReadOnlyList<(string Name, object Value)> Attributes => [.. _shared, .. _attributes];

    public string? Text { get; private set; }

    /// <summary>Adds an attribute; a null value is left out.</summary>
    public SubsonicNode Set(string attribute, object? value)
    {
        if (value is not null) _attributes.Add((attribute, value));
        return this;
    }

    public SubsonicNode Add(SubsonicNode? child)
    {
        if (child is not null) _children.Add((child.Name, child));
        return this;
    }

    /// <summary>A list of elements named <paramref name="name"/> (a JSON array, even of one).</summary>
    public SubsonicNode AddList(string name, IEnumerable<SubsonicNode> items)
    {
        _children.Add((name, items.ToList()));
        return this;
    }

    /// <summary>A list of plain values (JSON: an array of numbers or strings; XML: repeated elements with text).</summary>
    public SubsonicNode AddValues(string name, IEnumerable<object> values)
    {
        _children.Add((name, values.Select(v => new SubsonicNode(name) { _isValue = true }.WithText(v)).ToList()));
        return this;
    }

    public SubsonicNode WithText(object value)
    {
        Text = Format(value);
        _textValue = value;
        return this;
    }

    private object? _textValue;

    /// <summary>An item of a list of plain values: JSON writes the value itself.</summary>
    private bool _isValue;

    public void WriteXml(XmlWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartElement(Name, SubsonicResponse.Namespace);
        foreach (var (n, v) in _shared) w.WriteAttributeString(n, Format(v));
        foreach (var (n, v) in _attributes) w.WriteAttributeString(n, Format(v));
        foreach (var (_, child) in _children)
        {
            if (child is SubsonicNode node) node.WriteXml(w);
            else foreach (var item in (List<SubsonicNode>)child) item.WriteXml(w);
        }
        if (Text is not null) w.WriteString(Text);
        w.WriteEndElement();
    }

    /// <summary>Writes the node's content as a JSON object (its name is the caller's property).</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (_isValue && _textValue is not null)
        {
            WriteValue(w, _textValue);
            return;
        }
        w.WriteStartObject();
        foreach (var (n, v) in _shared)
        {
            w.WritePropertyName(n);
            WriteValue(w, v);
        }
        foreach (var (n, v) in _attributes)
        {
            w.WritePropertyName(n);
            WriteValue(w, v);
        }
        foreach (var (n, child) in _children)
        {
            if (child is SubsonicNode node)
            {
                w.WritePropertyName(n);
                node.WriteJson(w);
            }
            else
            {
                var list = (List<SubsonicNode>)child;
                if (list.Count == 0) continue;
                w.WritePropertyName(n);
                w.WriteStartArray();
                foreach (var item in list) item.WriteJson(w);
                w.WriteEndArray();
            }
        }
        if (_textValue is not null)
        {
            w.WritePropertyName("value");
            WriteValue(w, _textValue);
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object v)
    {
        switch (v)
        {
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(Math.Round(d, 6)); break;
            case float f: w.WriteNumberValue(Math.Round(f, 6)); break;
            default: w.WriteStringValue(Format(v)); break;
        }
    }

    internal static string Format(object v) => v switch
    {
        bool b => b ? "true" : "false",
        double d => Math.Round(d, 6).ToString("R", CultureInfo.InvariantCulture),
        float f => Math.Round(f, 6).ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}

/// <summary>The envelope: <c>subsonic-response</c> with status, version, server type and version, openSubsonic.</summary>
public static class SubsonicResponse
{
    public const string Namespace = "http://subsonic.org/restapi";
    public const string ApiVersion = "1.16.1";
    public const string ServerType = "earworm";

    public static string ServerVersion { get; } =
        typeof(SubsonicResponse).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static SubsonicNode Ok() => Envelope("ok");

    public static SubsonicNode Failed(int code, string message, string? helpUrl = null) =>
        Envelope("failed").Add(new SubsonicNode("error").Set("code", code).Set("message", message).Set("helpUrl", helpUrl));

    private static SubsonicNode Envelope(string status) => new SubsonicNode("subsonic-response").Set("status", status)
        .Set("version", ApiVersion).Set("type", ServerType).Set("serverVersion", ServerVersion).Set("openSubsonic", true);

    public static byte[] ToXml(SubsonicNode response)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteXml(response, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ToJson(SubsonicNode response)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteJson(response, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The response as UTF-8 XML with its declaration, appended to <paramref name="buffer"/>.</summary>
    public static void WriteXml(SubsonicNode response, IBufferWriter<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(response);
        // the declaration as Subsonic servers write it (XmlWriter would spell the encoding "utf-8")
        buffer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"u8);
        using var stream = new BufferWriterStream(buffer);
        using var w = XmlWriter.Create(stream, new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false) });
        response.WriteXml(w);
    }

    /// <summary>The response as JSON (<c>{"subsonic-response": …}</c>), appended to <paramref name="buffer"/>.</summary>
    public static void WriteJson(SubsonicNode response, IBufferWriter<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WritePropertyName(response.Name);
        response.WriteJson(w);
        w.WriteEndObject();
    }

    /// <summary>A write-only stream appending to a buffer writer, for the XML writer (which takes a stream).</summary>
    private sealed class BufferWriterStream(IBufferWriter<byte> buffer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> span) => buffer.Write(span);
    }
}
