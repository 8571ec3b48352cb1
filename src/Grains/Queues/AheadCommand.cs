using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Queues;

/// <summary>
/// PostgreSQL: the first statements of a batch's takes and completions — the writes at its head whose statement is
/// known before any of them runs — go to the server in one command, one round trip instead of one each. They run in
/// the batch's order, in its transaction, before the rest of what those writes do, which then reads their rows: a
/// take whose place turned out stale, or a completion of a task not InProgress, goes on as it would have.
/// </summary>
internal static partial class AheadCommand
{
    /// <summary>Sends the head of <paramref name="batch"/> ahead; answers how many statements went (0 when fewer than two were known).</summary>
    public static async Task<int> SendAsync(TaskTransaction tx, IReadOnlyList<IPendingWrite> batch, DispatchWindow window)
    {
        var statements = new List<AheadStatement>();
        foreach (var write in batch)
        {
            if (write.Plan() is not { } ahead)
            {
                break;
            }

            statements.Add(ahead);
        }

        if (statements.Count < 2)
        {
            // Not worth a command of its own: the write runs its statement itself, and the place goes back to the window.
            foreach (var unsent in statements)
            {
                if (unsent.Place is { } place)
                {
                    window.Eligible(place);
                }
            }

            return 0;
        }

        var sql = new StringBuilder();
        var parameters = new List<(string, object?)>();
        for (var i = 0; i < statements.Count; i++)
        {
            var suffix = "_" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(ParameterName().Replace(statements[i].Sql, "$0" + suffix)).Append(";\n");
            foreach (var (name, value) in statements[i].Parameters)
            {
                parameters.Add((name + suffix, value));
            }

            statements[i].Rows = [];
        }

        await tx.ReadEachAsync(sql.ToString(), [.. parameters], (i, row) => statements[i].Rows!.Add(statements[i].Map(row)));
        return statements.Count;
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex ParameterName();
}
