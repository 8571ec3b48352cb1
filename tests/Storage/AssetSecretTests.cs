using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>A credential's password is nowhere as sent: not in a file of the data folder, not in a PostgreSQL table.</summary>
public abstract class AssetSecretAtRestTests(OrchestratorFixture fixture)
{
    protected OrchestratorFixture Fixture => fixture;

    [Fact]
    public async Task A_credential_password_is_stored_only_encrypted()
    {
        using var api = await fixture.NewAccountAsync();
        var password = "Plain-" + Guid.NewGuid().ToString("N");
        var created = await api.PostAsync("/api/asset/create", JsonSerializer.Serialize(new { Name = "vault", Type = 1, Text = "login", Password = password }));
        await api.PutAsync("/api/asset/update", JsonSerializer.Serialize(new { Guid = created.GetProperty("guid").GetString(), Description = "rewritten" }));
        Assert.Equal(password, (await api.GetAsync($"/api/asset/read/{created.GetProperty("guid").GetGuid()}")).GetProperty("password").GetString());

        await AssertNotStoredAsync(password);
    }

    protected abstract Task AssertNotStoredAsync(string secret);
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedAssetSecretAtRestTests(EmbeddedFixture fixture) : AssetSecretAtRestTests(fixture)
{
    protected override async Task AssertNotStoredAsync(string secret)
    {
        // Every file of the data folder, raw: the database, its write-ahead log, the key file.
        var files = Directory.GetFiles(fixture.DataPath, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == "orchestrator.db-wal" || Path.GetFileName(f) == "orchestrator.db");
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
            {
                Assert.True(copy.ToArray().AsSpan().IndexOf(encoding.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds the password as sent");
            }
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAssetSecretAtRestTests(PostgresFixture fixture) : AssetSecretAtRestTests(fixture)
{
    protected override async Task AssertNotStoredAsync(string secret)
    {
        var connectionString = fixture.Host.Services.GetRequiredService<OrchestratorDatabase>().ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("assets", tables);
        foreach (var table in tables)
        {
            // The whole row as text, every column of every row.
            await using var search = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" t WHERE strpos(t::text, @secret) > 0", connection);
            search.Parameters.AddWithValue("secret", secret);
            Assert.True((long)(await search.ExecuteScalarAsync())! == 0, $"table {table} holds the password as sent");
        }
    }
}

/// <summary>The secret key: generated on first start (embedded), required (cluster), and checked: a wrong one is a clear error.</summary>
public sealed class SecretKeyTests : IDisposable
{
    private readonly string _dataPath = TempFolder.Create("secret-key");

    [Fact]
    public async Task A_silo_with_another_key_refuses_to_start_and_a_moved_ciphertext_is_an_error_not_another_password()
    {
        var settings = new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath };
        string key;
        Guid first, second;
        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var admin = host.Client();
            key = await TenantAccount.CreateAsync(admin, "t");
            using var tenant = host.Client(key);
            first = (await tenant.PostAsync("/api/asset/create", """{"Name": "a", "Type": 1, "Password": "first-password"}""")).GetProperty("guid").GetGuid();
            second = (await tenant.PostAsync("/api/asset/create", """{"Name": "b", "Type": 1, "Password": "second-password"}""")).GetProperty("guid").GetGuid();
        }

        var keyFile = Path.Combine(_dataPath, "secret.key");
        var original = await File.ReadAllTextAsync(keyFile);
        Assert.Equal(32, Convert.FromBase64String(original.Trim()).Length);

        // Another key in the configuration.
        var configured = await StartFailureAsync(new Dictionary<string, string?>(settings) { ["Orchestrator:SecretKey"] = OrchestratorTestHost.SecretKey });
        Assert.Contains("Orchestrator:SecretKey", configured);
        Assert.Contains("is not the key this database's secrets were encrypted with", configured);

        // Another key in the key file.
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(new byte[32]));
        Assert.Contains("is not the key this database's secrets were encrypted with", await StartFailureAsync(settings));

        // A key that is no key at all.
        await File.WriteAllTextAsync(keyFile, "short");
        Assert.Contains("must be Base64 of 32 random bytes", await StartFailureAsync(settings));

        // The key file lost: no new key is made for a database whose secrets have one; the start says to restore it.
        File.Delete(keyFile);
        Assert.Contains($"The key file {keyFile} is missing", await StartFailureAsync(settings));
        Assert.False(File.Exists(keyFile));

        // The right key back, and one ciphertext copied onto the other asset's row: the associated data (the GUID) refuses it.
        await File.WriteAllTextAsync(keyFile, original);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_dataPath, "orchestrator.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var move = connection.CreateCommand();
            move.CommandText = "UPDATE assets SET password_cipher = (SELECT password_cipher FROM assets WHERE guid = $first) WHERE guid = $second";
            move.Parameters.AddWithValue("$first", first.ToString("D"));
            move.Parameters.AddWithValue("$second", second.ToString("D"));
            Assert.Equal(1, await move.ExecuteNonQueryAsync());
        }

        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var tenant = host.Client(key);
            Assert.Equal("first-password", (await tenant.GetAsync($"/api/asset/read/{first}")).GetProperty("password").GetString());
            using var response = await tenant.SendAsync(HttpMethod.Get, $"/api/asset/read/{second}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.DoesNotContain("first-password", text);
        }
    }

    [Fact]
    public async Task The_cluster_wiring_without_a_secret_key_refuses_to_start_saying_so()
    {
        var server = await PostgresServer.AcquireAsync();
        try
        {
            var connectionString = await server.CreateDatabaseAsync();
            var message = await StartFailureAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Orchestrator"] = connectionString,
                ["Orchestrator:AdvertisedIP"] = "127.0.0.1",
            });

            Assert.Contains("Orchestrator:SecretKey is required in the cluster wiring", message);
        }
        finally
        {
            await PostgresServer.ReleaseAsync();
        }
    }

    public void Dispose() => TempFolder.Delete(_dataPath);

    /// <summary>Starts a host that must fail, and answers every message of the failure's exception chain.</summary>
    private static async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var host = await OrchestratorTestHost.StartAsync(settings);
            await host.DisposeAsync();
        });
        var messages = new StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.AppendLine(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    messages.AppendLine(inner.ToString());
                }
            }
        }

        return messages.ToString();
    }
}

/// <summary>No password reaches a log line, whatever the level, on any path a credential takes.</summary>
public sealed class AssetSecretLoggingTests : IDisposable
{
    private readonly string _dataPath = TempFolder.Create("secret-logs");

    [Fact]
    public async Task No_log_line_at_any_level_holds_a_credential_password()
    {
        var capture = new CapturingLoggerProvider();
        var first = "FirstPass-" + Guid.NewGuid().ToString("N");
        var second = "SecondPass-" + Guid.NewGuid().ToString("N");
        await using (var host = await OrchestratorTestHost.StartAsync(
            new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath },
            services =>
            {
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(capture);
                services.Configure<Microsoft.Extensions.Logging.LoggerFilterOptions>(o =>
                {
                    o.MinLevel = Microsoft.Extensions.Logging.LogLevel.Trace;
                    o.Rules.Clear();
                });
            }))
        {
            using var admin = host.Client();
            var key = await TenantAccount.CreateAsync(admin, "t");
            using var tenant = host.Client(key);
            var robot = (await tenant.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
            var guid = (await tenant.PostAsync("/api/asset/create", JsonSerializer.Serialize(new { Name = "vault", Type = 1, Password = first }))).GetProperty("guid").GetGuid();
            await tenant.PutAsync("/api/asset/update", JsonSerializer.Serialize(new { Guid = guid, Password = second }));
            await tenant.PutAsync("/api/asset/update", JsonSerializer.Serialize(new { Guid = guid, Password = first, Type = 2 }), HttpStatusCode.BadRequest);
            await tenant.PostAsync("/api/asset/create", JsonSerializer.Serialize(new { Name = "vault", Type = 1, Password = first }), HttpStatusCode.Conflict);
            await tenant.GetAsync($"/api/asset/read/{guid}");
            await tenant.GetAsync($"/api/asset/byName/vault?robot={robot}");
            await tenant.GetAsync("/api/asset/list");
        }

        // The capture saw everything, down to Orleans' and ASP.NET Core's debug lines.
        Assert.Contains(capture.Lines, l => l.Contains(" Debug: ", StringComparison.Ordinal));
        foreach (var line in capture.Lines)
        {
            Assert.DoesNotContain(first, line);
            Assert.DoesNotContain(second, line);
        }
    }

    public void Dispose() => TempFolder.Delete(_dataPath);

    private sealed class CapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                provider.Lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(
                Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
