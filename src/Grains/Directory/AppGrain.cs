using AppMsg.Directory;
using AppMsg.Grains.Security;
using Orleans.Runtime;

namespace AppMsg.Grains.Directory;

public sealed class AppGrain(
    [PersistentState("app", StorageNames.Default)] IPersistentState<AppState> state,
    AppIndex index,
    Microsoft.Extensions.Options.IOptions<DirectoryOptions> options) : Grain, IAppGrain
{
    public const int MaxNameLength = 100;

    /// <summary>The longest overlap a rotation may give the old secret.</summary>
    public static readonly TimeSpan MaxSecretOverlap = TimeSpan.FromDays(30);

    private AppState App => state.State;

    public async Task<AppCredentials> CreateAsync(NewApp app)
    {
        if (App.TenantId is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the app already exists");
        }

        var name = Names.Validate("name", app.Name, MaxNameLength);
        var webhook = UserValidation.Url("webhookUrl", app.WebhookUrl);
        await TenantChecks.EnsureExistsAsync(GrainFactory, app.TenantId);

        // The list row first: an app that exists is always listed (its broadcasts are replayed from the list);
        // if the state cannot be written, the row is taken back.
        await index.UpsertAsync(this.GetPrimaryKeyString(), app.TenantId, name);
        var secret = Secrets.New();
        App.TenantId = app.TenantId;
        App.Name = name;
        App.WebhookUrl = webhook;
        App.SecretHash = Secrets.Hash(secret);
        App.CreatedAt = DateTimeOffset.UtcNow;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            App.TenantId = null;
            await index.DeleteAsync(this.GetPrimaryKeyString());
            throw;
        }

        return new AppCredentials(ToInfo(), secret);
    }

    public Task<AppInfo?> GetAsync() => Task.FromResult(App.TenantId is null ? null : ToInfo());

    public Task<bool> VerifySecretAsync(string secret) =>
        Task.FromResult(App.TenantId is not null && secret is not null && (Secrets.Matches(secret, App.SecretHash)
            || (App.PreviousSecretHash is { } previous && DateTimeOffset.UtcNow < App.PreviousSecretValidUntil && Secrets.Matches(secret, previous))));

    public async Task<AppInfo> UpdateAsync(string? name, string? webhookUrl)
    {
        if (App.TenantId is null)
        {
            throw AppMsgException.NotFound("app");
        }

        var newName = name is null ? App.Name : Names.Validate("name", name, MaxNameLength);
        var newWebhook = webhookUrl is null ? App.WebhookUrl : UserValidation.Url("webhookUrl", webhookUrl);
        App.Name = newName;
        App.WebhookUrl = newWebhook;
        await state.WriteStateAsync();
        await index.UpsertAsync(this.GetPrimaryKeyString(), App.TenantId, newName);
        return ToInfo();
    }

    public async Task<AppCredentials> RotateSecretAsync(TimeSpan? overlap)
    {
        if (App.TenantId is null)
        {
            throw AppMsgException.NotFound("app");
        }

        var keep = overlap ?? options.Value.AppSecretOverlap;
        if (keep < TimeSpan.Zero || keep > MaxSecretOverlap)
        {
            throw AppMsgException.Invalid("overlapSeconds", $"overlapSeconds must be 0 to {(int)MaxSecretOverlap.TotalSeconds}");
        }

        var secret = Secrets.New();
        App.PreviousSecretHash = keep > TimeSpan.Zero ? App.SecretHash : null;
        App.PreviousSecretValidUntil = DateTimeOffset.UtcNow + keep;
        App.SecretHash = Secrets.Hash(secret);
        await state.WriteStateAsync();
        return new AppCredentials(ToInfo(), secret);
    }

    public async Task<AppInfo> SetPushTemplateAsync(AppMsg.Notifications.PushTemplate template)
    {
        if (App.TenantId is null)
        {
            throw AppMsgException.NotFound("app");
        }

        template.Validated();
        App.PushTemplate = string.IsNullOrEmpty(template.Title) && string.IsNullOrEmpty(template.Body)
            ? null
            : new AppMsg.Notifications.PushTemplate(NullIfEmpty(template.Title), NullIfEmpty(template.Body));
        await state.WriteStateAsync();
        // This silo's notifications use the new template at once; other silos' within their cache's 30 s.
        (ServiceProvider.GetService(typeof(Notifications.PushCredentialCache)) as Notifications.PushCredentialCache)?.Invalidate(this.GetPrimaryKeyString());
        return ToInfo();
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private AppInfo ToInfo() => new(this.GetPrimaryKeyString(), App.TenantId!, App.Name, App.WebhookUrl, App.CreatedAt, App.PushTemplate);
}
