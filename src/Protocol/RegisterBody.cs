using System.Diagnostics.CodeAnalysis;

namespace AppMsg.Protocol;

/// <summary>
/// The binary REGISTER body: version u8, terminal type u8, id [32], token [32], and optionally device id [32], the
/// text fields NUL-padded printable ASCII; 66 bytes, or 98 with a device id.
/// </summary>
public static class RegisterBody
{
    private const int IdOffset = 2;
    private const int TokenOffset = IdOffset + ProtocolLimits.RegisterFieldLength;
    private const int DeviceIdOffset = TokenOffset + ProtocolLimits.RegisterFieldLength;

    /// <summary>Parses a decoded REGISTER body.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body, [NotNullWhen(true)] out RegisterRequest? request, out ProtocolError error)
    {
        request = null;
        if (body.Length is not (ProtocolLimits.RegisterBodyLength or ProtocolLimits.RegisterWithDeviceBodyLength))
        {
            error = ProtocolErrors.RegisterLength;
            return false;
        }

        if (!AsciiField.TryReadPadded(body.Slice(IdOffset, ProtocolLimits.RegisterFieldLength), out var id))
        {
            error = ProtocolErrors.IdNotAscii;
            return false;
        }

        if (!AsciiField.TryReadPadded(body.Slice(TokenOffset, ProtocolLimits.RegisterFieldLength), out var token))
        {
            error = ProtocolErrors.TokenNotAscii;
            return false;
        }

        var deviceId = string.Empty;
        if (body.Length == ProtocolLimits.RegisterWithDeviceBodyLength
            && !AsciiField.TryReadPadded(body.Slice(DeviceIdOffset, ProtocolLimits.RegisterFieldLength), out deviceId))
        {
            error = ProtocolErrors.DeviceIdNotAscii;
            return false;
        }

        error = default;
        request = new RegisterRequest(body[0], (TerminalType)body[1], id, token, deviceId);
        return true;
    }

    /// <summary>The length of <paramref name="request"/>'s body: 98 bytes when it names a device, else 66.</summary>
    public static int LengthOf(RegisterRequest request) =>
        request.DeviceId.Length == 0 ? ProtocolLimits.RegisterBodyLength : ProtocolLimits.RegisterWithDeviceBodyLength;

    /// <summary>Writes <paramref name="request"/> as a body of <see cref="LengthOf"/> bytes (not yet encoded).</summary>
    /// <exception cref="ArgumentException">The id or token is longer than 32 characters or not printable ASCII, or the destination is short.</exception>
    public static void Write(RegisterRequest request, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (destination.Length < LengthOf(request))
        {
            throw new ArgumentException("The destination is shorter than a REGISTER body.", nameof(destination));
        }

        destination[0] = request.Version;
        destination[1] = (byte)request.TerminalType;
        AsciiField.WritePadded(request.Id, destination.Slice(IdOffset, ProtocolLimits.RegisterFieldLength), nameof(request));
        AsciiField.WritePadded(request.Token, destination.Slice(TokenOffset, ProtocolLimits.RegisterFieldLength), nameof(request));
        if (request.DeviceId.Length != 0)
        {
            AsciiField.WritePadded(request.DeviceId, destination.Slice(DeviceIdOffset, ProtocolLimits.RegisterFieldLength), nameof(request));
        }
    }
}
