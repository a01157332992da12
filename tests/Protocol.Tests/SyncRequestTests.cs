using System.Text;

namespace AppMsg.Protocol.Tests;

public class SyncRequestTests
{
    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"cursors":null}""")]
    [InlineData("""{"cursors":{}}""")]
    [InlineData("""{"other":1}""")]
    public void No_cursors_means_since_last_acknowledged(string json)
    {
        Assert.True(SyncRequest.TryParse(Encoding.UTF8.GetBytes(json), out var request, out _));
        Assert.Same(SyncRequest.SinceLastAcknowledged, request);
        Assert.Empty(request.Cursors);
    }

    [Fact]
    public void Cursors_are_read_per_timeline()
    {
        Assert.True(SyncRequest.TryParse("""{"cursors":{"42@user":9223372036854775807,"1@app":0,"\u0037@qun":3}}"""u8, out var request, out _));
        Assert.Equal(3, request.Cursors.Count);
        Assert.Equal(long.MaxValue, request.Cursors["42@user"]);
        Assert.Equal(3, request.Cursors["7@qun"]);
    }

    [Theory]
    [InlineData("""{"cursors":[]}""", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("""{"cursors":{"a@user":"1"}}""", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("""{"cursors":{"a@user":-1}}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"cursors":{"a@user":1.5}}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"cursors":{"a@user":9223372036854775808}}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"cursors":{"":1}}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"cursors":{"a@user":1,"a@user":2}}""", ProtocolErrorCode.InvalidJson)]
    [InlineData("""{"cursors":{},"cursors":{}}""", ProtocolErrorCode.InvalidJson)]
    [InlineData("""{"cursors":{"a@user":1}""", ProtocolErrorCode.InvalidJson)]
    [InlineData("""[]""", ProtocolErrorCode.InvalidJson)]
    public void Bad_sync_is_an_error(string json, ProtocolErrorCode expected)
    {
        Assert.False(SyncRequest.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(expected, error.Code);
    }

    [Fact]
    public void Too_many_cursors_is_an_error()
    {
        var entries = Enumerable.Range(0, ProtocolLimits.MaxSyncCursors + 1).Select(i => $"\"{i}@qun\":1");
        var json = Encoding.UTF8.GetBytes($"{{\"cursors\":{{{string.Join(',', entries)}}}}}");

        Assert.False(SyncRequest.TryParse(json, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidField, error.Code);
    }
}
