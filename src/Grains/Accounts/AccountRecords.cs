using System.Data.Common;
using Orchestrator.Storage;

namespace Orchestrator.Accounts;

/// <summary>The queries on the <c>accounts</c> table. The account grain is the only caller that writes.</summary>
public sealed class AccountRecords(OrchestratorDatabase database)
{
    private const string Columns =
        "id, guid, login, password_hash, key_hash, key_prefix, key_created, is_admin, first_name, last_name, email, phone, " +
        "company, department, created, updated";

    public Task<AccountRecord?> FindAsync(Guid guid) =>
        database.QuerySingleAsync($"SELECT {Columns} FROM accounts WHERE guid = @guid AND is_deleted = 0", Map, ("@guid", guid));

    public Task<Caller?> FindCallerAsync(string keyHash) =>
        database.QuerySingleAsync(
            "SELECT id, guid, login, is_admin FROM accounts WHERE key_hash = @hash AND is_deleted = 0",
            r => new Caller(r.Long("id"), r.Guid("guid"), r.Text("login"), r.Flag("is_admin")),
            ("@hash", keyHash));

    public Task<List<AccountRecord>> ListAsync(int skip, int? take) =>
        database.QueryAsync(
            $"SELECT {Columns} FROM accounts WHERE is_deleted = 0 ORDER BY id LIMIT @take OFFSET @skip",
            Map,
            ("@take", take ?? int.MaxValue),
            ("@skip", skip));

    public Task<Guid?> FindGuidAsync(long id) =>
        database.QueryGuidAsync("SELECT guid FROM accounts WHERE id = @id AND is_deleted = 0", ("@id", id));

    public async Task<bool> AnyAsync() =>
        await database.ScalarAsync("SELECT COUNT(*) FROM accounts WHERE is_deleted = 0") > 0;

    public Task<long> InsertAsync(AccountRecord account) =>
        database.InsertAsync(
            """
            INSERT INTO accounts (guid, login, password_hash, key_hash, key_prefix, key_created, is_admin, first_name,
                last_name, email, phone, company, department, created, updated)
            VALUES (@guid, @login, @password, @key, @prefix, @keyCreated, @admin, @first, @last, @email, @phone,
                @company, @department, @created, @updated)
            RETURNING id
            """,
            Fields(account));

    /// <summary>
    /// Writes every field but the account's identity (id, GUID) and role. Keys that stop working with this change
    /// are written to the revocation log in the same transaction (see <see cref="RevocationsAfterAsync"/>).
    /// </summary>
    public Task<int> UpdateAsync(AccountRecord account, IReadOnlyList<string>? revokedKeyHashes = null) =>
        database.ExecuteAllAsync(
        [
            (
                """
                UPDATE accounts SET login = @login, password_hash = @password, key_hash = @key, key_prefix = @prefix,
                    key_created = @keyCreated, first_name = @first, last_name = @last, email = @email, phone = @phone,
                    company = @company, department = @department, updated = @updated
                WHERE id = @id
                """,
                Fields(account)),
            .. Revocations(revokedKeyHashes ?? [], account.Updated),
        ]);

    /// <summary>Deletes the account and logs its key as revoked, in one transaction.</summary>
    public Task<int> SoftDeleteAsync(long id, string keyHash, DateTimeOffset now) =>
        database.ExecuteAllAsync(
        [
            ("UPDATE accounts SET is_deleted = 1, updated = @now WHERE id = @id", [("@id", id), ("@now", now)]),
            .. Revocations([keyHash], now),
        ]);

    /// <summary>
    /// The revocation log's rows after <paramref name="afterId"/>, and those revoked since <paramref name="since"/>
    /// (read again, for one whose id was taken before a row already seen but committed after it): the key hashes to
    /// drop from a key cache.
    /// </summary>
    public Task<List<(long Id, string KeyHash)>> RevocationsAfterAsync(long afterId, DateTimeOffset since) =>
        database.QueryAsync(
            "SELECT id, key_hash FROM api_key_revocations WHERE id > @after OR revoked_at >= @since",
            r => (r.Long("id"), r.Text("key_hash")),
            ("@after", afterId),
            ("@since", since));

    /// <summary>The newest row of the revocation log (0 when it is empty): where a fresh key cache starts reading.</summary>
    public async Task<long> LatestRevocationAsync() =>
        await database.ScalarAsync("SELECT COALESCE(MAX(id), 0) FROM api_key_revocations") ?? 0;

    /// <summary>Log rows for revoked keys; rows older than a day go at the same time (a cache that has not read the log
    /// for that long does not trust itself: see <see cref="ApiKeyCache"/>).</summary>
    private static IEnumerable<(string, (string, object?)[])> Revocations(IReadOnlyList<string> keyHashes, DateTimeOffset now)
    {
        if (keyHashes.Count == 0)
        {
            yield break;
        }

        foreach (var hash in keyHashes)
        {
            yield return ("INSERT INTO api_key_revocations (key_hash, revoked_at) VALUES (@hash, @now)", [("@hash", hash), ("@now", now)]);
        }

        yield return ("DELETE FROM api_key_revocations WHERE revoked_at < @cutoff", [("@cutoff", now.AddDays(-1))]);
    }

    private static (string, object?)[] Fields(AccountRecord a) =>
    [
        ("@id", a.Id),
        ("@guid", a.Guid),
        ("@login", a.Login),
        ("@password", a.PasswordHash),
        ("@key", a.KeyHash),
        ("@prefix", a.KeyPrefix),
        ("@keyCreated", a.KeyCreated),
        ("@admin", a.IsAdministrator),
        ("@first", a.Profile.FirstName),
        ("@last", a.Profile.LastName),
        ("@email", a.Profile.Email),
        ("@phone", a.Profile.Phone),
        ("@company", a.Profile.Company),
        ("@department", a.Profile.Department),
        ("@created", a.Created),
        ("@updated", a.Updated),
    ];

    private static AccountRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Text("login"),
        r.Text("password_hash"),
        r.Text("key_hash"),
        r.Text("key_prefix"),
        r.Time("key_created"),
        r.Flag("is_admin"),
        new AccountProfile(
            r.NullableText("first_name"),
            r.NullableText("last_name"),
            r.NullableText("email"),
            r.NullableText("phone"),
            r.NullableText("company"),
            r.NullableText("department")),
        r.Time("created"),
        r.Time("updated"));
}
