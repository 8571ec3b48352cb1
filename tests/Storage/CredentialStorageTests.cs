using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>API keys are stored only as hashes, passwords only as salted slow hashes: neither is in the database.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class CredentialStorageTests(EmbeddedFixture fixture)
{
    [Fact]
    public async Task Neither_a_key_nor_a_password_is_stored_as_sent()
    {
        var login = "vault-" + Guid.NewGuid().ToString("N")[..8];
        var password = "Pa55word-" + Guid.NewGuid().ToString("N");
        using var admin = fixture.Admin;
        var key = await TenantAccount.CreateAsync(admin, login, password);
        using var tenant = fixture.Host.Client(key);
        var assigned = "assigned-key-" + Guid.NewGuid().ToString("N");
        await tenant.PutAsync("/api/key", JsonSerializer.Serialize(new { Key = assigned }));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(fixture.DataPath, "orchestrator.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT password_hash, key_hash, key_prefix FROM accounts WHERE login = $login";
        command.Parameters.AddWithValue("$login", login);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());

        Assert.StartsWith("pbkdf2-sha256$", row.GetString(0));
        Assert.DoesNotContain(password, row.GetString(0));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(assigned))), row.GetString(1));
        Assert.Equal(assigned[..8], row.GetString(2));

        // Nor anywhere in the files: the database and its write-ahead log.
        foreach (var file in Directory.GetFiles(fixture.DataPath, "orchestrator.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var secret in new[] { password, key, assigned })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds a secret as sent");
            }
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
