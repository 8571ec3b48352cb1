namespace Orchestrator.Api.Files;

/// <summary>
/// The text forms a file may arrive in inside a JSON body (API.md §12): Base16, Base32 or Base64, named by the
/// request's <c>Encoding</c> or, without it, detected: an even number of hex digits only is Base16; else only
/// <c>A–Z</c>, <c>2–7</c> and <c>=</c> padding to a multiple of 8 is Base32; else Base64. What none of them
/// reads is refused.
/// </summary>
public static class FileEncodings
{
    public const string Base16 = "base16";
    public const string Base32 = "base32";
    public const string Base64 = "base64";

    /// <summary>True when <paramref name="name"/> (any case) is one of the three encodings, or none is named (null or blank).</summary>
    public static bool IsKnown(string? name) =>
        string.IsNullOrWhiteSpace(name) || Normalize(name) is Base16 or Base32 or Base64;

    /// <summary>
    /// The text without the white space tools put in it (<c>base64</c> and <c>base32</c> wrap lines, <c>xxd -p</c> too,
    /// hex dumps space their bytes), which is no part of any of the three encodings. Left in, it would hide hex from
    /// detection and be counted as data against the size limit.
    /// </summary>
    public static string Compact(string text)
    {
        if (text.AsSpan().IndexOfAny(" \t\r\n") < 0)
        {
            return text;
        }

        var spaces = 0;
        foreach (var c in text)
        {
            spaces += IsWhiteSpace(c) ? 1 : 0;
        }

        return string.Create(text.Length - spaces, text, static (target, source) =>
        {
            var at = 0;
            foreach (var c in source)
            {
                if (!IsWhiteSpace(c))
                {
                    target[at++] = c;
                }
            }
        });
    }

    private static bool IsWhiteSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>The encoding the §12 rule picks for <paramref name="text"/>.</summary>
    public static string Detect(string text)
    {
        if (text.Length % 2 == 0 && text.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") < 0)
        {
            return Base16;
        }

        return text.Length % 8 == 0 && IsBase32(text) ? Base32 : Base64;
    }

    /// <summary>How many bytes <paramref name="text"/> decodes to at most, so a file over the limit is refused before it is decoded.</summary>
    public static long MaxDecodedLength(string text, string encoding) => Normalize(encoding) switch
    {
        Base16 => text.Length / 2,
        Base32 => (long)text.Length * 5 / 8,
        _ => ((long)text.Length + 3) / 4 * 3,
    };

    /// <summary>Decodes <paramref name="text"/>; null when it is not valid in that encoding.</summary>
    public static byte[]? Decode(string text, string encoding)
    {
        switch (Normalize(encoding))
        {
            case Base16:
                try
                {
                    return text.Length % 2 == 0 ? Convert.FromHexString(text) : null;
                }
                catch (FormatException)
                {
                    return null;
                }

            case Base32:
                return DecodeBase32(text);
            default:
                var bytes = new byte[MaxDecodedLength(text, Base64)];
                return Convert.TryFromBase64String(text, bytes, out var written) ? bytes.AsSpan(0, written).ToArray() : null;
        }
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant();

    private static bool IsBase32(string text)
    {
        var data = text.AsSpan().TrimEnd('=');
        return text.Length - data.Length <= 6 && data.IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") < 0;
    }

    /// <summary>RFC 4648 Base32 (upper case, padding optional); null on anything else.</summary>
    private static byte[]? DecodeBase32(string text)
    {
        var data = text.AsSpan().TrimEnd('=');
        if (data.Length % 8 is 1 or 3 or 6)
        {
            return null;
        }

        var bytes = new byte[data.Length * 5 / 8];
        var buffer = 0;
        var bits = 0;
        var index = 0;
        foreach (var c in data)
        {
            var value = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[index++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        return bytes;
    }
}
