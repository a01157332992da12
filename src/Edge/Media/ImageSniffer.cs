namespace AppMsg.Edge.Media;

/// <summary>Recognises image formats by their first bytes, so that a declared <c>image/*</c> upload is an image.</summary>
public static class ImageSniffer
{
    /// <summary>Bytes enough to recognise every format below.</summary>
    public const int HeadLength = 16;

    /// <summary>The image type the bytes start like (<c>image/png</c>, ...), or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (head.StartsWith("BM"u8) && head.Length >= 14)
        {
            return "image/bmp";
        }

        // ISO base media (HEIC/HEIF, AVIF): "ftyp" at offset 4, then the brand.
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = head[8..12];
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            {
                return "image/avif";
            }

            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8))
            {
                return "image/heic";
            }
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0x00]))
        {
            return "image/x-icon";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || head.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A]))
        {
            return "image/tiff";
        }

        return null;
    }
}
