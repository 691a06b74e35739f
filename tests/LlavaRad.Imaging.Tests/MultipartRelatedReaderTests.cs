using System.Text;
using LlavaRad.Imaging.DicomWeb;

namespace LlavaRad.Imaging.Tests;

public class MultipartRelatedReaderTests
{
    /// <summary>A stream that hands out at most a few bytes per read, so delimiters straddle reads.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static byte[] Body(string boundary, params byte[][] parts)
    {
        var body = new List<byte>();
        body.AddRange(Encoding.ASCII.GetBytes("preamble to ignore\r\n"));
        foreach (var part in parts)
        {
            body.AddRange(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\nContent-Length: {part.Length}\r\n\r\n"));
            body.AddRange(part);
            body.AddRange("\r\n"u8.ToArray());
        }
        body.AddRange(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return [.. body];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task ReadsEachPartExactlyWhateverTheReadSizes(int chunk)
    {
        var random = new Random(chunk);
        var first = new byte[5000];
        var second = new byte[70000];
        random.NextBytes(first);
        random.NextBytes(second);
        second[100] = (byte)'\r'; second[101] = (byte)'\n'; second[102] = (byte)'-'; second[103] = (byte)'-'; // a near-delimiter inside the data
        var reader = new MultipartRelatedReader(new TrickleStream(Body("b0undary", first, second), chunk), "b0undary", 1 << 20);

        var one = await reader.ReadNextPartAsync();
        var two = await reader.ReadNextPartAsync();

        Assert.Equal(first, one!.Content.ToArray());
        Assert.Equal("application/dicom", one.ContentType);
        Assert.Equal(second, two!.Content.ToArray());
        Assert.Null(await reader.ReadNextPartAsync());
    }

    [Fact]
    public async Task APartOverTheCapIsRefusedWithACode()
    {
        var reader = new MultipartRelatedReader(new MemoryStream(Body("b", new byte[10_000])), "b", 4096);
        var error = await Assert.ThrowsAsync<DicomWebException>(() => reader.ReadNextPartAsync());
        Assert.Equal(DicomWebException.PartTooLarge, error.Code);
    }

    [Fact]
    public async Task ABodyCutOffMidPartIsABadResponse()
    {
        var body = Body("b", new byte[1000]);
        var reader = new MultipartRelatedReader(new MemoryStream(body[..600]), "b", 1 << 20);
        var error = await Assert.ThrowsAsync<DicomWebException>(() => reader.ReadNextPartAsync());
        Assert.Equal(DicomWebException.BadResponse, error.Code);
    }
}
