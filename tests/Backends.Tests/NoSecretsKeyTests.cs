using System.Net;

namespace AppMsg.Backends.Tests;

public sealed class NoSecretsKeyTests(NoSecretsKeySystem system) : IClassFixture<NoSecretsKeySystem>
{
    [Fact]
    public async Task Without_a_secrets_key_a_signing_secret_is_refused_as_unavailable_and_nothing_is_stored()
    {
        var tenantId = (await system.Api.PostAsync("/v1/tenants", new { name = "no-key" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var created = (await system.Api.PostAsync("/v1/apps", new { tenantId, name = "backend", webhookUrl = "http://127.0.0.1:9/hook" }, system.AdminKey))
            .Expect(HttpStatusCode.Created);
        var credential = $"{created["id"]}:{created["secret"]}";

        var refused = (await system.Api.PostAsync($"/v1/apps/{created["id"]}/webhook/secret", null, credential)).Expect(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unavailable", refused.Code);
        Assert.Contains("APPMSG_SECRETS_KEY", refused["title"], StringComparison.Ordinal);

        var status = (await system.Api.GetAsync($"/v1/apps/{created["id"]}/webhook", credential)).Expect(HttpStatusCode.OK);
        Assert.False(status.Body.GetProperty("hasSigningSecret").GetBoolean());
    }
}
