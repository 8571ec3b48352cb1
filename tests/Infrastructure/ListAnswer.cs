using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>What list tests read of a list answer.</summary>
public static class ListAnswer
{
    /// <summary>The GUIDs of the listed records, in the answer's order; robots name the field <c>GUID</c>, the rest <c>guid</c>.</summary>
    public static List<Guid> Guids(JsonElement list, string field = "guid") => list.EnumerateArray().Select(r => r.GetProperty(field).GetGuid()).ToList();
}
