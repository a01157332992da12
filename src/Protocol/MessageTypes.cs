namespace AppMsg.Protocol;

/// <summary>Checks on <see cref="MessageType"/> values.</summary>
public static class MessageTypes
{
    /// <summary>The smallest defined message type value.</summary>
    public const int MinValue = (int)MessageType.Register;

    /// <summary>The largest defined message type value.</summary>
    public const int MaxValue = (int)MessageType.SyncResp;

    /// <summary>Whether <paramref name="value"/> is a message type this library knows (1..14).</summary>
    public static bool IsKnown(int value) => (uint)(value - MinValue) <= MaxValue - MinValue;

    /// <summary>Whether <paramref name="type"/> is a message type this library knows (1..14).</summary>
    public static bool IsKnown(this MessageType type) => IsKnown((int)type);

    /// <summary>Whether a terminal may send <paramref name="type"/> (REGISTER, PING, the responses, IM, SYNC).</summary>
    public static bool IsUp(this MessageType type) => type is MessageType.Register or MessageType.Ping
        or MessageType.PushResp or MessageType.CbResp or MessageType.Im or MessageType.ImResp
        or MessageType.KickResp or MessageType.Sync;

    /// <summary>Whether a server may send <paramref name="type"/> (the answers, PUSH, CALLBACK, IM, KICK).</summary>
    public static bool IsDown(this MessageType type) => type is MessageType.RegResp or MessageType.Pong
        or MessageType.Push or MessageType.Callback or MessageType.Im or MessageType.ImResp
        or MessageType.Kick or MessageType.SyncResp;
}
