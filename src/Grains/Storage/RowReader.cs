using System.Data.Common;

namespace Orchestrator.Storage;

/// <summary>
/// Reads columns back in the representation <see cref="OrchestratorDatabase"/> writes them. Typed getters,
/// not the indexer: the indexer boxes every value and, on SQLite, asks for the column's type first (two
/// native calls under the connection's mutex instead of one), which was most of a 100-robot list's CPU.
/// </summary>
public static class RowReader
{
    public static long Long(this DbDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column));

    public static int Int(this DbDataReader reader, string column) => checked((int)reader.GetInt64(reader.GetOrdinal(column)));

    public static bool Flag(this DbDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column)) != 0;

    public static string Text(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? string.Empty : reader.GetString(ordinal);
    }

    public static Guid Guid(this DbDataReader reader, string column) => System.Guid.Parse(reader.GetString(reader.GetOrdinal(column)));

    public static long? NullableLong(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
    }

    public static string? NullableText(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static Guid? NullableGuid(this DbDataReader reader, string column) =>
        reader.NullableText(column) is { } text ? System.Guid.Parse(text) : null;

    /// <summary>A decimal stored as text, which keeps it exactly as given (1.05 stays 1.05) on both databases.</summary>
    public static decimal? NullableDecimalText(this DbDataReader reader, string column) =>
        reader.NullableText(column) is { } text ? decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset Time(this DbDataReader reader, string column) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(reader.GetOrdinal(column)));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    }
}
