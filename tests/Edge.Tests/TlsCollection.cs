using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>The tests of the edge's TLS listeners and browser rules share one system whose edge serves TLS.</summary>
[CollectionDefinition(Name)]
public sealed class TlsCollection : ICollectionFixture<TlsRunningSystem>
{
    public const string Name = "tls";
}
