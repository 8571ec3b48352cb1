using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Assets;

/// <summary>
/// Encrypts what must not be stored as sent (credential passwords) with AES-256-GCM under the silo's secret key:
/// a random nonce per write, and the owning record's GUID as associated data, so a ciphertext copied onto another
/// row does not decrypt there. The key is set once at start by <see cref="SecretKeyLifecycle"/>, after it has been
/// checked against the database.
/// </summary>
public sealed class SecretCipher
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private byte[]? _key;

    /// <summary>Sets the key; called once at start, before any grain is activated.</summary>
    public void Use(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The secret key must be 32 bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>The keyed hash of a constant that the database keeps to tell whether a silo holds the right key.</summary>
    public static string CheckValue(byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, "orchestrator secret key check v1"u8));

    public string Encrypt(string secret, Guid owner)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealed_ = new byte[1 + NonceSize + plain.Length + TagSize];
        sealed_[0] = Version;
        var nonce = sealed_.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key, TagSize);
        aes.Encrypt(nonce, plain, sealed_.AsSpan(1 + NonceSize, plain.Length), sealed_.AsSpan(1 + NonceSize + plain.Length), AssociatedData(owner));
        CryptographicOperations.ZeroMemory(plain);
        return Convert.ToBase64String(sealed_);
    }

    public string Decrypt(string cipherText, Guid owner)
    {
        try
        {
            var sealed_ = Convert.FromBase64String(cipherText);
            if (sealed_.Length < 1 + NonceSize + TagSize || sealed_[0] != Version)
            {
                throw new CryptographicException("Unknown format.");
            }

            var length = sealed_.Length - 1 - NonceSize - TagSize;
            var plain = new byte[length];
            using var aes = new AesGcm(Key, TagSize);
            aes.Decrypt(sealed_.AsSpan(1, NonceSize), sealed_.AsSpan(1 + NonceSize, length), sealed_.AsSpan(1 + NonceSize + length), plain, AssociatedData(owner));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            // Never garbage: a ciphertext that does not authenticate under this key is an error that says so.
            throw new InvalidOperationException(
                $"The secret stored for {owner} cannot be decrypted with this silo's secret key (Orchestrator:SecretKey or the data folder's key file): the key is not the one it was encrypted with, or the stored value was altered.");
        }
    }

    private byte[] Key => _key ?? throw new InvalidOperationException("The secret key has not been loaded; the silo has not finished starting.");

    private static byte[] AssociatedData(Guid owner) => Encoding.ASCII.GetBytes(owner.ToString("D"));
}
