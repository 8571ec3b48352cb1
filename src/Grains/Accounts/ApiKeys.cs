using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Accounts;

/// <summary>
/// API keys: generated with 256 bits of randomness and stored only as a SHA-256 hash. A fast hash is enough
/// here (unlike passwords) because a key is random, not chosen by a person, and it keeps authentication cheap.
/// </summary>
public static class ApiKeys
{
    /// <summary>The shortest key an account may assign itself.</summary>
    public const int MinimumLength = 32;

    private const int PrefixLength = 8;

    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static ApiKeyHash Hash(string key) =>
        new(HashOf(key), key.Length <= PrefixLength ? key : key[..PrefixLength]);

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
