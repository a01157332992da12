using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>Creates directory records through the HTTP API, as an operator would.</summary>
public sealed class Seed(RunningSystem system)
{
    public ApiClient Api => system.Api;

    public string Admin => system.AdminKey;

    public async Task<string> TenantAsync(string name = "acme") =>
        (await Api.PostAsync("/v1/tenants", new { name }, Admin)).Expect(HttpStatusCode.Created)["id"];

    /// <summary>An app of the tenant; returns its <c>appId:secret</c> credential and id.</summary>
    public async Task<(string Id, string Credential)> AppAsync(string tenantId, string name = "backend")
    {
        var app = (await Api.PostAsync("/v1/apps", new { tenantId, name }, Admin)).Expect(HttpStatusCode.Created);
        return (app["id"], $"{app["id"]}:{app["secret"]}");
    }

    public async Task<string> UserAsync(string tenantId, string username, string password = "correct horse") =>
        (await Api.PostAsync("/v1/users", new { tenantId, username, password }, Admin)).Expect(HttpStatusCode.Created)["id"];

    /// <summary>Logs in and returns the token.</summary>
    public async Task<string> LoginAsync(string tenantId, string username, string password = "correct horse", int terminalType = 1) =>
        (await Api.PostAsync("/v1/auth/login", new { tenantId, username, password, terminalType })).Expect(HttpStatusCode.OK)["token"];
}
