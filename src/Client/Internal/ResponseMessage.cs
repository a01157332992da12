namespace AppMsg.Client.Internal;

/// <summary>A response as a waiting request receives it: the code and a copy of the JSON that followed it (empty when none).</summary>
internal readonly record struct ResponseMessage(byte Code, ReadOnlyMemory<byte> Json);
