namespace Orchestrator.Assets;

/// <summary>The secret key that encrypts credential passwords, from the <c>Orchestrator</c> configuration section.</summary>
public sealed class SecretKeyOptions
{
    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>), or a passphrase of at least 32 characters.
    /// Required in the cluster wiring and the same on every silo; unset in the embedded wiring, a key is generated
    /// into <c>secret.key</c> in the data folder on first start.
    /// </summary>
    public string? SecretKey { get; set; }
}
