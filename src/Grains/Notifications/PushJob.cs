namespace AppMsg.Grains.Notifications;

/// <summary>One notification to one device, claimed in <c>push_sent</c>, waiting for (or between) provider attempts.</summary>
public sealed record PushJob(NotificationRequest Request, RegisteredDevice Device, PushNotification Notification, int Attempt);
