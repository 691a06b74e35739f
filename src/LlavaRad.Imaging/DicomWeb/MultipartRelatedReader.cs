using System.Text;

namespace LlavaRad.Imaging.DicomWeb;

/// <summary>
/// Reads a multipart/related body (RFC 2387, the WADO-RS instance and frame answers) part by part from a stream:
/// at most one part is held in memory, and a part larger than the cap is refused before it is buffered in full.
/// </summary>
public sealed class MultipartRelatedReader(Stream body, string boundary, long maxPartBytes)
{
    private readonly byte[] _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;
    private bool _started, _finished;

    /// <summary>The next part, or null after the closing delimiter.</summary>
    public async Task<MultipartPart?> ReadNextPartAsync(CancellationToken cancellationToken = default)
    {
        if (_finished) return null;
        if (!_started)
        {
            // The first delimiter may come without the leading CRLF; skip any preamble up to it.
            await SkipPastAsync(_delimiter.AsMemory(2), cancellationToken);
            _started = true;
        }
        // After a delimiter: "--" ends the body, otherwise CRLF and the part's headers.
        await FillAsync(2, cancellationToken);
        if (_end - _start >= 2 && _buffer[_start] == '-' && _buffer[_start + 1] == '-')
        {
            _finished = true;
            return null;
        }
        var headers = await ReadHeadersAsync(cancellationToken);
        var content = new MemoryStream();
        await CopyUntilDelimiterAsync(content, cancellationToken);
        return new MultipartPart(headers, content.GetBuffer().AsMemory(0, (int)content.Length));
    }

    private async Task<Dictionary<string, string>> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await SkipLineAsync(cancellationToken); // the rest of the delimiter line
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length == 0) return headers;
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            if (headers.Count > 100) throw BadBody("a multipart part has more than 100 header lines");
        }
    }

    private async Task CopyUntilDelimiterAsync(Stream destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            await FillAsync(_delimiter.Length, cancellationToken);
            var available = _buffer.AsSpan(_start, _end - _start);
            var index = available.IndexOf(_delimiter);
            if (index >= 0)
            {
                Write(destination, index);
                _start += index + _delimiter.Length;
                return;
            }
            if (_end - _start < _delimiter.Length) throw BadBody("the multipart body ends without its closing delimiter");
            // Keep the last delimiter-length bytes: the delimiter may straddle two reads.
            Write(destination, available.Length - _delimiter.Length + 1);
            _start += available.Length - _delimiter.Length + 1;
        }
    }

    private void Write(Stream destination, int count)
    {
        if (destination.Length + count > maxPartBytes)
            throw new DicomWebException(DicomWebException.PartTooLarge, $"a multipart part is larger than {maxPartBytes} bytes");
        destination.Write(_buffer, _start, count);
    }

    private async Task SkipPastAsync(ReadOnlyMemory<byte> marker, CancellationToken cancellationToken)
    {
        long skipped = 0;
        while (true)
        {
            await FillAsync(marker.Length, cancellationToken);
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf(marker.Span);
            if (index >= 0)
            {
                _start += index + marker.Length;
                return;
            }
            if (_end - _start < marker.Length) throw BadBody("no multipart delimiter in the body");
            var drop = _end - _start - marker.Length + 1;
            _start += drop;
            if ((skipped += drop) > 1 << 20) throw BadBody("more than 1 MB before the first multipart delimiter");
        }
    }

    private async Task SkipLineAsync(CancellationToken cancellationToken) => await ReadLineAsync(cancellationToken);

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            await FillAsync(1, cancellationToken);
            if (_start == _end) throw BadBody("the multipart body ends inside part headers");
            var b = _buffer[_start++];
            if (b == '\n') return line.ToString().TrimEnd('\r');
            if (line.Length > 8192) throw BadBody("a multipart header line is longer than 8 KB");
            line.Append((char)b);
        }
    }

    /// <summary>Make at least <paramref name="count"/> bytes available unless the stream ends first.</summary>
    private async Task FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count) return;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end < count || _end < _buffer.Length / 2)
        {
            var read = await body.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0) return;
            _end += read;
            if (_end >= count && _end >= _delimiter.Length) return;
        }
    }

    private static DicomWebException BadBody(string message) => new(DicomWebException.BadResponse, message);

    /// <summary>The boundary parameter of a multipart Content-Type; null when absent.</summary>
    public static string? BoundaryOf(System.Net.Http.Headers.MediaTypeHeaderValue? contentType) =>
        contentType?.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
}

/// <summary>One part: its headers and its content.</summary>
public sealed record MultipartPart(IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Content)
{
    public string? ContentType => Headers.GetValueOrDefault("Content-Type");
}
