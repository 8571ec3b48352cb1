using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.Assets;

/// <summary>
/// Loads the secret key at start, right after the schema is in place, and checks it against the check value the
/// database keeps: a silo whose key is missing (cluster wiring) or is not the one the stored secrets were encrypted
/// with refuses to start, with a message that says which, instead of serving garbage.
/// </summary>
public sealed class SecretKeyLifecycle(
    IOptions<SecretKeyOptions> options, OrchestratorDatabase database, SecretCipher cipher, OrchestratorClock clock, ILogger<SecretKeyLifecycle> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public const string KeyFileName = "secret.key";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SecretKeyLifecycle), ServiceLifecycleStage.RuntimeInitialize, LoadAsync);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // A database that keeps a check value has secrets under a key already: a key file gone missing is not made anew.
        var checkStored = (await database.QueryAsync("SELECT check_value FROM orchestrator_secret_check WHERE name = 'secret-key'", r => r.Text("check_value"))).Count > 0;
        var key = ReadKey(mayCreate: !checkStored, out var source);
        var expected = SecretCipher.CheckValue(key);
        await database.ExecuteAsync(
            "INSERT INTO orchestrator_secret_check (name, check_value, created) VALUES ('secret-key', @value, @now) ON CONFLICT (name) DO NOTHING",
            ("@value", expected),
            ("@now", clock.Now));
        var stored = (await database.QueryAsync("SELECT check_value FROM orchestrator_secret_check WHERE name = 'secret-key'", r => r.Text("check_value"))).Single();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(expected)))
        {
            throw new InvalidOperationException(
                $"The secret key ({source}) is not the key this database's secrets were encrypted with: its check value does not match the one stored. "
                + "Start the silo with the original Orchestrator:SecretKey (every silo of a cluster needs the same one).");
        }

        cipher.Use(key);
        logger.LogInformation("Secret key loaded from {Source} and matches the database", source);
    }

    private byte[] ReadKey(bool mayCreate, out string source)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.SecretKey))
        {
            source = "Orchestrator:SecretKey";
            return Parse(options.Value.SecretKey.Trim(), source);
        }

        if (database.DataFolder is null)
        {
            throw new InvalidOperationException(
                "Orchestrator:SecretKey is required in the cluster wiring: set it to the same key on every silo (Base64 of 32 random bytes, e.g. `openssl rand -base64 32`). "
                + "It encrypts credential passwords and is never stored in the database.");
        }

        var path = Path.Combine(database.DataFolder, KeyFileName);
        source = $"the key file {path}";
        if (!File.Exists(path) && !mayCreate)
        {
            throw new InvalidOperationException(
                $"The key file {path} is missing, and this database's secrets were encrypted with the key it held: restore the file "
                + "from a backup (or set Orchestrator:SecretKey to that key). A new key would not read them.");
        }

        if (!File.Exists(path))
        {
            var created = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                // Readable by the silo's user only.
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(path, fileOptions);
                file.Write(Encoding.ASCII.GetBytes(created));
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another start made it first; read theirs.
            }
        }

        return Parse(File.ReadAllText(path).Trim(), source);
    }

    private static byte[] Parse(string text, string source)
    {
        var bytes = new byte[64];
        if (Convert.TryFromBase64String(text, bytes, out var written) && written == 32)
        {
            return bytes[..32];
        }

        if (text.Length >= 32)
        {
            // A passphrase: stretched into a key of the right size. Long random passphrases only; that is why 32 characters.
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(text), 32, salt: [], info: "orchestrator secret key"u8.ToArray());
        }

        throw new InvalidOperationException(
            $"The secret key in {source} must be Base64 of 32 random bytes (e.g. `openssl rand -base64 32`) or a passphrase of at least 32 characters.");
    }
}
