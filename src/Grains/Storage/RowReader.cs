using System.Data.Common;

namespace Orchestrator.Storage;

/// <summary>Reads columns back in the representation <see cref="OrchestratorDatabase"/> writes them.</summary>
public static class RowReader
{
    public static long Long(this DbDataReader reader, string column) => Convert.ToInt64(reader[column]);

    public static int Int(this DbDataReader reader, string column) => Convert.ToInt32(reader[column]);

    public static bool Flag(this DbDataReader reader, string column) => Convert.ToInt64(reader[column]) != 0;

    public static string Text(this DbDataReader reader, string column) =>
        reader[column] is string text ? text : string.Empty;

    public static Guid Guid(this DbDataReader reader, string column) => System.Guid.Parse((string)reader[column]);

    public static DateTimeOffset Time(this DbDataReader reader, string column) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader[column]));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, string column) =>
        reader[column] is null or DBNull ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader[column]));
}
