using AppMsg.Edge.Security;
using AppMsg.Edge.Tls;
using AppMsg.Hosting;
using AppMsg.Testing;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Edge.Tests;

/// <summary>How the edge reads its TLS and CORS settings, and the start-up errors for bad ones.</summary>
public sealed class SecuritySettingsTests
{
    [Fact]
    public void Without_either_file_there_is_no_TLS_and_with_both_the_ports_default_to_7443_and_8443()
    {
        Assert.Null(EdgeTlsSettings.FromConfiguration(Configuration([])));

        var folder = System.IO.Directory.CreateTempSubdirectory("appmsg-tls-settings-");
        try
        {
            var (certificate, key) = (Path.Combine(folder.FullName, "c.pem"), Path.Combine(folder.FullName, "k.pem"));
            TestCertificate.WritePem(TestCertificate.Create("settings"), certificate, key);

            var tls = EdgeTlsSettings.FromConfiguration(Configuration(new() { ["APPMSG_TLS_CERT_PEM"] = certificate, ["APPMSG_TLS_KEY_PEM"] = key }));

            Assert.NotNull(tls);
            Assert.Equal((7443, 8443), (tls.TcpPort, tls.HttpsPort));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_is_a_configuration_error()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("appmsg-tls-settings-");
        try
        {
            var (certificate, key, otherCertificate, otherKey) = (Path.Combine(folder.FullName, "c.pem"), Path.Combine(folder.FullName, "k.pem"),
                Path.Combine(folder.FullName, "c2.pem"), Path.Combine(folder.FullName, "k2.pem"));
            TestCertificate.WritePem(TestCertificate.Create("one"), certificate, key);
            TestCertificate.WritePem(TestCertificate.Create("two"), otherCertificate, otherKey);

            var error = Assert.Throws<StartupException>(() => EdgeTlsSettings.FromConfiguration(
                Configuration(new() { ["APPMSG_TLS_CERT_PEM"] = certificate, ["APPMSG_TLS_KEY_PEM"] = otherKey })));

            Assert.Equal(ExitCodes.Configuration, error.ExitCode);
            Assert.Contains("cannot load the TLS certificate", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void CORS_origins_are_read_normalized_and_anything_but_an_origin_is_refused()
    {
        Assert.Empty(CorsOrigins.FromConfiguration(Configuration([])));
        Assert.Equal(["https://app.example.com", "http://localhost:3000"],
            CorsOrigins.FromConfiguration(Configuration(new() { ["APPMSG_CORS_ORIGINS"] = " https://App.Example.com , http://localhost:3000" })));

        foreach (var bad in new[] { "app.example.com", "https://app.example.com/path", "ftp://files.example.com", "*" })
        {
            var error = Assert.Throws<StartupException>(() => CorsOrigins.FromConfiguration(Configuration(new() { ["APPMSG_CORS_ORIGINS"] = bad })));
            Assert.Equal(ExitCodes.Configuration, error.ExitCode);
        }
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
