using System.Globalization;
using System.Net;
using AppMsg.Testing;
using Microsoft.Playwright;

namespace AppMsg.Console.Tests;

public sealed class ConsoleTests(RunningSystem system, ConsoleBrowser browser) : IClassFixture<RunningSystem>, IClassFixture<ConsoleBrowser>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 20_000 };

    private string ConsoleUrl => $"http://127.0.0.1:{system.EdgeSettings.HttpPort}/console";

    [Fact]
    public async Task An_operator_signs_in_creates_a_tenant_and_a_user_sends_a_message_and_sees_it_counted_and_its_delivery()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var failedScripts = new List<string>();
        page.PageError += (_, error) => failedScripts.Add(error);
        var response = await page.GotoAsync(ConsoleUrl);
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        Assert.Contains("script-src 'self'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", (await response.AllHeadersAsync())["x-content-type-options"]);

        await page.FillAsync("#credential", system.AdminKey);
        await page.ClickAsync("button[type=submit]");
        var total = page.Locator("#total-messages");
        await Assertions.Expect(total).ToBeVisibleAsync(Soon);
        var before = long.Parse(await total.InnerTextAsync(), CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("[data-metric=connections]")).Not.ToHaveTextAsync("–");

        await page.ClickAsync("nav >> text=Tenants");
        await page.FillAsync("input[name=name]", "console tenant");
        await page.ClickAsync("text=Create tenant");
        await page.ClickAsync("a:has-text('console tenant')");
        // The tenant's apps, listed from GET /v1/tenants/{tenantId}/apps, show a new one.
        var apps = page.Locator("section:has(h3:has-text('Apps'))").First;
        await Assertions.Expect(apps.Locator("text=No apps.")).ToBeVisibleAsync(Soon);
        await page.FillAsync("input[placeholder='app name']", "console app one");
        await page.ClickAsync("text=Create app");
        await Assertions.Expect(apps.Locator("td a:has-text('console app one')")).ToBeVisibleAsync(Soon);
        // The tenant's quota panel renders GET /v1/tenants/{tenantId}/quotas: every limit, unlimited until set.
        var quotas = page.Locator("section:has(h3:text-is('Quotas'))");
        await Assertions.Expect(quotas.Locator("td:text-is('messagesPerDay')")).ToBeVisibleAsync(Soon);
        await Assertions.Expect(quotas.Locator("tr:has(td:text-is('messagesPerDay')) td:text-is('unlimited')")).ToBeVisibleAsync(Soon);
        await page.FillAsync("input[name=username]", "ada");
        await page.FillAsync("input[name=password]", "correct horse battery");
        await page.ClickAsync("text=Create user");
        await page.ClickAsync("a:has-text('ada')", new PageClickOptions { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("h2:has-text('ada')")).ToBeVisibleAsync(Soon);
        await Assertions.Expect(page.Locator("text=Offline: no session.")).ToBeVisibleAsync(Soon);
        await page.FillAsync("input[name=text]", "hello from the console");
        await page.ClickAsync("button:has-text('Send')");
        await Assertions.Expect(page.Locator("#sent-message")).ToBeVisibleAsync(Soon);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, "user.png"), FullPage = true });

        // The stored message is in the user's inbox, as the console said.
        var userId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var inbox = (await system.Api.GetAsync($"/v1/timelines/{userId}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("hello from the console", inbox.Body.GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());

        await page.ClickAsync("#sent-message a");
        var delivery = page.Locator("section:has(h3:has-text('Delivery state'))");
        // The panel renders the real route's answer: the recipient ada and her (offline) terminal's state.
        await Assertions.Expect(delivery.Locator("td").First).ToBeVisibleAsync(Soon);
        Assert.Equal(0, await delivery.Locator("[data-error]").CountAsync());
        Assert.Contains(userId, await delivery.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, "delivery.png") });

        // The tenant's statistics by day render the real counts once the edge has written them (every 2 s): the chart,
        // and today's row with the message sent above.
        var tenantId = (await system.Api.GetAsync($"/v1/users/{userId}", system.AdminKey)).Expect(HttpStatusCode.OK)["tenantId"];
        await Eventually.ReturnsAsync(() => system.Api.GetAsync($"/v1/stats?tenantId={tenantId}&granularity=day", system.AdminKey),
            r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("rows").GetArrayLength() > 0, TimeSpan.FromSeconds(15), "the tenant's statistics written");
        await page.GotoAsync($"{ConsoleUrl}/#/tenant/{tenantId}");
        var stats = page.Locator("section:has(h3:has-text('Statistics by day'))");
        await Assertions.Expect(stats.Locator("canvas").First).ToBeVisibleAsync(Soon);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var todayRow = stats.Locator($"tbody tr:has(td:text-is('{today}'))");
        await Assertions.Expect(todayRow).ToBeVisibleAsync(Soon);
        var headers = await stats.Locator("thead th").AllInnerTextsAsync();
        var cells = await todayRow.Locator("td").AllInnerTextsAsync();
        Assert.True(long.Parse(cells[headers.ToList().IndexOf("messages")], CultureInfo.InvariantCulture) >= 1, string.Join(" | ", cells));
        Assert.Equal("user 1", cells[headers.ToList().IndexOf("messages by kind")]);
        Assert.Equal(0, await stats.Locator("[data-error]").CountAsync());

        // Its quota panel sets a limit through the real route and shows it.
        var tenantQuotas = page.Locator("section:has(h3:text-is('Quotas'))");
        await Assertions.Expect(tenantQuotas.Locator("input[name=messagesPerDay]")).ToBeVisibleAsync(Soon);
        await tenantQuotas.Locator("input[name=messagesPerDay]").FillAsync("1000");
        await tenantQuotas.Locator("button:has-text('Set tenant quotas')").ClickAsync();
        await Assertions.Expect(tenantQuotas.Locator("tr:has(td:text-is('messagesPerDay')) td:text-is('1000')")).ToBeVisibleAsync(Soon);
        // The eight limits of the route, nothing computed beside them; no panel shows a stray "null".
        Assert.Equal(8, await tenantQuotas.Locator("tbody tr").CountAsync());
        Assert.DoesNotContain("null", await page.Locator("section:has(h3:has-text('Apps'))").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1000, (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", system.AdminKey)).Expect(HttpStatusCode.OK)
            .Body.GetProperty("limits").GetProperty("messagesPerDay").GetInt64());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, "tenant.png"), FullPage = true });

        await page.ClickAsync("nav >> text=Overview");
        await Assertions.Expect(total).ToBeVisibleAsync(Soon);
        var after = long.Parse(await total.InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.True(after >= before + 1, $"the console counted {before} then {after} messages");

        // Messages sent while the overview is open show on the live chart within its next refreshes.
        for (var i = 0; i < 5; i++)
        {
            (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = $"burst {i}" } }, system.AdminKey))
                .Expect(HttpStatusCode.OK);
        }

        await Assertions.Expect(page.Locator("[data-metric=messages]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(?!0$)[0-9.]+$"),
            new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
        await Assertions.Expect(total).ToHaveTextAsync((after + 5).ToString(CultureInfo.InvariantCulture), new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, "overview.png") });
        Assert.Empty(failedScripts);
    }

    [Fact]
    public async Task The_operator_lists_and_searches_tenants_and_disables_and_enables_one()
    {
        var prefix = "pw" + Guid.NewGuid().ToString("N")[..6];
        var first = (await system.Api.PostAsync("/v1/tenants", new { name = $"{prefix} first" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var second = (await system.Api.PostAsync("/v1/tenants", new { name = $"{prefix} second" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var app = (await system.Api.PostAsync("/v1/apps", new { tenantId = second, name = "soon disabled" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        var appCredential = $"{app["id"]}:{app["secret"]}";
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var failedScripts = new List<string>();
        page.PageError += (_, error) => failedScripts.Add(error);
        await page.GotoAsync(ConsoleUrl);
        await page.FillAsync("#credential", system.AdminKey);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#total-messages")).ToBeVisibleAsync(Soon);

        await page.ClickAsync("nav >> text=Tenants");
        await page.FillAsync("input[name=search]", prefix.ToUpperInvariant());
        await page.ClickAsync("button:has-text('Search')");
        var rows = page.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new LocatorAssertionsToHaveCountOptions { Timeout = 20_000 });
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync($"{prefix} first");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(second);

        await page.ClickAsync($"button[data-tenant-toggle='{second}']");
        var secondRow = page.Locator($"tbody tr:has-text('{second}')");
        await Assertions.Expect(secondRow.Locator("[data-status=disabled]")).ToBeVisibleAsync(Soon);
        await Assertions.Expect(page.Locator($"tbody tr:has-text('{first}') [data-status=active]")).ToBeVisibleAsync(Soon);
        Assert.Equal("tenant_disabled", (await system.Api.GetAsync($"/v1/tenants/{second}", appCredential)).Expect(HttpStatusCode.Forbidden).Code);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, "tenants.png") });

        // The tenant's own page says so and enables it again.
        await secondRow.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#tenant-status")).ToHaveTextAsync("disabled", new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });
        await page.ClickAsync($"button[data-tenant-toggle='{second}']");
        await Assertions.Expect(page.Locator("#tenant-status")).ToHaveTextAsync("active", new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });
        (await system.Api.GetAsync($"/v1/tenants/{second}", appCredential)).Expect(HttpStatusCode.OK);

        // A tenant that does not exist: the panel says why, the page stays usable.
        await page.GotoAsync($"{ConsoleUrl}/#/tenant/0000000000000000");
        await Assertions.Expect(page.Locator("section:has(h3:text-is('Tenant')) [data-error]")).ToContainTextAsync("not_found", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        Assert.True(await page.Locator("#nav").IsVisibleAsync());
        Assert.Empty(failedScripts);
    }

    [Fact]
    public async Task A_wrong_key_is_a_clear_sign_in_error_and_shows_no_data()
    {
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(ConsoleUrl);
        await page.FillAsync("#credential", "not-the-admin-key");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("not valid");
        Assert.True(await page.Locator("#nav").IsHiddenAsync());
        Assert.Equal(0, await page.Locator("#total-messages").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotDirectory, "wrong-key.png") });
    }

    [Fact]
    public async Task An_app_owner_sees_its_own_tenant_and_not_another()
    {
        var (tenantId, _) = await system.NewUserAsync();
        var (otherTenantId, otherUserId) = await system.NewUserAsync();
        var app = (await system.Api.PostAsync("/v1/apps", new { tenantId, name = "console app" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(ConsoleUrl);
        await page.FillAsync("#credential", $"{app["id"]}:{app["secret"]}");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync(app["id"]);

        await page.GotoAsync($"{ConsoleUrl}/#/tenant/{tenantId}");
        await Assertions.Expect(page.Locator("h2:has-text('devices')")).ToBeVisibleAsync(Soon);

        await page.GotoAsync($"{ConsoleUrl}/#/user/{otherUserId}");
        await Assertions.Expect(page.Locator("[data-error]").First).ToBeVisibleAsync(Soon);
        Assert.DoesNotContain(otherTenantId, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }
}
