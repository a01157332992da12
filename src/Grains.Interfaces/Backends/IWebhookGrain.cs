using Orleans.Concurrency;

namespace AppMsg.Backends;

/// <summary>
/// An app's webhook (keyed by app id): POSTs each upstream message, in seq order, and (when asked) each stored session event
/// of the app's tenant, in seq order, to the app's
/// <c>webhookUrl</c>, signed with HMAC-SHA256 over <c>&lt;timestamp&gt;.&lt;body&gt;</c> (headers
/// <c>X-AppMsg-Timestamp</c> and <c>X-AppMsg-Signature: sha256=&lt;hex&gt;</c>); a 2xx answer delivers it.
/// Failures are retried with exponential backoff; after the last attempt the item becomes a dead letter
/// and delivery moves on. Runs apart from the senders: a slow or dead webhook never blocks one.
/// </summary>
public interface IWebhookGrain : IGrainWithStringKey
{
    /// <summary>The settings, the delivered cursor and the number of dead letters.</summary>
    Task<WebhookStatus> GetStatusAsync();

    /// <summary>Changes the settings.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for values out of range.</exception>
    Task<WebhookStatus> UpdateSettingsAsync(WebhookSettings settings);

    /// <summary>Creates a new signing secret and returns it (it is not shown again); the old one stops signing at once.</summary>
    Task<string> RotateSigningSecretAsync();

    /// <summary>The dead letters, oldest first (at most 1,000 are kept; older ones are dropped with a log line).</summary>
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync();

    /// <summary>Takes a dead letter off the list and delivers it again (with fresh attempts); false when there is none with that id.</summary>
    /// <exception cref="AppMsgException"><c>tenant_disabled</c> while the app's tenant is disabled (the letter stays listed).</exception>
    Task<bool> ReplayDeadLetterAsync(string id);

    /// <summary>Called by the app's upstream when a message was stored (not by backends).</summary>
    [OneWay]
    Task OnStoredAsync(long seq);

    /// <summary>Called by the app's upstream when session events of its tenant were stored, up to <paramref name="seq"/> (not by backends).</summary>
    [OneWay]
    Task OnSessionEventsStoredAsync(long seq);
}
