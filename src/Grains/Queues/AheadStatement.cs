using System.Data.Common;

namespace Orchestrator.Queues;

/// <summary>A write's first statement, sent ahead with others of its batch (<see cref="AheadCommand"/>), and the rows it answered.</summary>
internal sealed class AheadStatement(string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, object> map)
{
    public string Sql { get; } = sql;

    public (string Name, object? Value)[] Parameters { get; } = parameters;

    public Func<DbDataReader, object> Map { get; } = map;

    /// <summary>For a take: the window's place it takes.</summary>
    public DispatchPlace? Place { get; init; }

    /// <summary>Null until the statement has run.</summary>
    public List<object>? Rows { get; set; }
}
