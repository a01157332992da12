namespace AppMsg.Bench.Systems;

/// <summary>Called for every message a device receives (on the device's receive path: keep it short).</summary>
public delegate void MessageHandler(int receiver, ReadOnlySpan<byte> payload);
