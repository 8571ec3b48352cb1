using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Accounts;

/// <summary>
/// The SHA-256 of an API key as four machine words: what the key cache is keyed by, so that authenticating a
/// request hashes the key without allocating (no byte array, no hex string) and compares 32 bytes.
/// </summary>
public readonly struct ApiKeyDigest : IEquatable<ApiKeyDigest>
{
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private ApiKeyDigest(ReadOnlySpan<byte> hash)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(hash);
        _b = BinaryPrimitives.ReadUInt64BigEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(hash[24..]);
    }

    /// <summary>The digest of a key as sent (UTF-8), the same hash <see cref="ApiKeys.HashOf"/> stores in hex.</summary>
    public static ApiKeyDigest Of(ReadOnlySpan<char> key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var utf8 = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(key, utf8);
            SHA256.HashData(utf8[..written], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return new ApiKeyDigest(hash);
    }

    /// <summary>The digest of a stored key hash (lower-case hex, as in <c>accounts.key_hash</c>).</summary>
    public static ApiKeyDigest FromHex(string keyHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (Convert.FromHexString(keyHash, hash, out _, out var written) != OperationStatus.Done || written != hash.Length)
        {
            throw new FormatException("A key hash is 64 hexadecimal digits.");
        }

        return new ApiKeyDigest(hash);
    }

    /// <summary>The lower-case hex form stored in the database.</summary>
    public string ToHex()
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        BinaryPrimitives.WriteUInt64BigEndian(hash, _a);
        BinaryPrimitives.WriteUInt64BigEndian(hash[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(hash[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(hash[24..], _d);
        return Convert.ToHexStringLower(hash);
    }

    public bool Equals(ApiKeyDigest other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is ApiKeyDigest other && Equals(other);

    // A SHA-256 is uniformly distributed: any of its words is as good a hash code as a mix of all of them.
    public override int GetHashCode() => (int)_a;

    public static bool operator ==(ApiKeyDigest left, ApiKeyDigest right) => left.Equals(right);

    public static bool operator !=(ApiKeyDigest left, ApiKeyDigest right) => !left.Equals(right);
}
